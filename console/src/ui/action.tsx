// A form's mutation, the one way every page submits: its own idempotency key and the API's error
// shown under the form. The key is kept while the same input is retried after an error (a retry
// never acts twice), a new one is taken when the input changed (the same key with other input is
// a CONFLICT: a changed form is another request) and once it went through (the next entry is a new act).
import { Alert, type FormInstance } from "antd";
import type { ReactNode } from "react";
import { useCallback, useRef, useState } from "react";
import { ApiError, check } from "../api/client";

export interface Action<A extends unknown[]> {
  /** Sends through fn with this form's key; true when it went through. */
  run: (...args: A) => Promise<boolean>;
  busy: boolean;
  error: ApiError | null;
  clear: () => void;
}

/** Anything thrown, as the API's error shape (a network failure reads INTERNAL). */
export function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError("INTERNAL", String(e));
}

function fingerprint(args: unknown[]): string {
  try {
    return JSON.stringify(args);
  } catch {
    return ""; // not serialisable: treat as the same input, keep the key
  }
}

export function useAction<A extends unknown[]>(name: string, fn: (key: string, ...args: A) => Promise<unknown>): Action<A> {
  const key = useRef({ id: "", input: "" });
  const busyNow = useRef(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const target = useRef(fn);
  target.current = fn;
  const run = useCallback(async (...args: A) => {
    if (busyNow.current) return false; // a double click is one act
    const input = fingerprint(args);
    if (!key.current.id || input !== key.current.input) key.current = { id: `${name}:${crypto.randomUUID()}`, input };
    busyNow.current = true;
    setBusy(true);
    setError(null);
    try {
      await target.current(key.current.id, ...args);
      key.current = { id: "", input: "" };
      return true;
    } catch (e) {
      setError(asApiError(e));
      return false;
    } finally {
      busyNow.current = false;
      setBusy(false);
    }
  }, [name]);
  return { run, busy, error, clear: useCallback(() => setError(null), []) };
}

/** The API's message and code under the form; testId only where a page shows two such errors. */
export function FormError({ error, testId = "form-error", description }: { error: ApiError | null; testId?: string; description?: ReactNode }) {
  if (!error) return null;
  return <Alert type="error" showIcon role="alert" style={{ marginTop: 8 }} data-testid={testId} description={description}
                message={<span>{error.message} <code>{error.code}</code></span>} />;
}

/** A mutation payload's first typed error as an exception, also shown under the form's field it
 * names (the API's `field` is the input's name: phone, idNumber, number…). */
export function checkInto<P extends { errors: { code: string; message: string; field?: string | null }[] }>(form: FormInstance, payload: P): P {
  const e = payload.errors[0];
  if (e?.field && form.getFieldInstance(e.field)) form.setFields([{ name: e.field, errors: [e.message] }]);
  return check(payload);
}

/** A form's submit: its fields checked first (they say what is missing), then the action with their values. */
export async function submitForm<V>(form: FormInstance<V>, action: Action<[V]>): Promise<boolean> {
  const values = await form.validateFields().catch(() => null);
  return values !== null && action.run(values);
}
