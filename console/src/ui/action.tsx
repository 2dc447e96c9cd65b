// A form's mutation: its own idempotency key (a retry after an error never acts twice; a fresh key
// after success, so the next entry is a new act) and the API's error shown under the form.
import { Alert } from "antd";
import { useCallback, useRef, useState } from "react";
import { ApiError } from "../api/client";

export interface Action<A extends unknown[]> {
  run: (...args: A) => Promise<boolean>;
  busy: boolean;
  error: ApiError | null;
  clear: () => void;
}

export function useAction<A extends unknown[]>(name: string, fn: (key: string, ...args: A) => Promise<unknown>): Action<A> {
  const key = useRef(`${name}:${crypto.randomUUID()}`);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const target = useRef(fn);
  target.current = fn;
  const run = useCallback(async (...args: A) => {
    setBusy(true);
    setError(null);
    try {
      await target.current(key.current, ...args);
      key.current = `${name}:${crypto.randomUUID()}`;
      return true;
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError("INTERNAL", String(e)));
      return false;
    } finally {
      setBusy(false);
    }
  }, [name]);
  return { run, busy, error, clear: useCallback(() => setError(null), []) };
}

export function FormError({ error }: { error: ApiError | null }) {
  if (!error) return null;
  return <Alert type="error" showIcon role="alert" style={{ marginTop: 8 }} data-testid="form-error"
                message={<span>{error.message} <code>{error.code}</code></span>} />;
}
