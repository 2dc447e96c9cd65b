// What every settings form shares: its own idempotency key (kept while the same change is retried,
// a new one for another change or once it is saved), a busy flag, and the API's error under the form.
import { Alert } from "antd";
import { useCallback, useRef, useState } from "react";
import { ApiError } from "../../api/client";
import type { Viewer } from "../../auth";
import type { Permission } from "../../gql/graphql";

export function failure(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError("INTERNAL", String(e));
}

export interface Submit {
  busy: boolean;
  error: ApiError | null;
  /** Sends `input` through fn with this form's key; true when it went through. */
  run: <I>(input: I, fn: (input: I, key: string) => Promise<void>) => Promise<boolean>;
  clear: () => void;
}

export function useSubmit(): Submit {
  const key = useRef({ id: crypto.randomUUID(), input: "" });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback(async <I,>(input: I, fn: (input: I, key: string) => Promise<void>) => {
    const sent = JSON.stringify(input);
    // The same key with other input is a CONFLICT: a changed form is another request.
    if (sent !== key.current.input) key.current = { id: crypto.randomUUID(), input: sent };
    setBusy(true);
    setError(null);
    try {
      await fn(input, key.current.id);
      key.current = { id: crypto.randomUUID(), input: "" }; // saved: the next change is another request
      return true;
    } catch (e) {
      setError(failure(e));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clear: useCallback(() => setError(null), []) };
}

export function FormError({ error, testId = "form-error" }: { error: ApiError | null; testId?: string }) {
  if (!error) return null;
  return <Alert type="error" showIcon role="alert" style={{ marginTop: 8 }} data-testid={testId}
                message={<span>{error.message} <code>{error.code}</code></span>} />;
}

/** Held company-wide or through a role in any project: whether a tab has anything to offer. */
export function holdsAnywhere(viewer: Viewer | null, permission: Permission): boolean {
  return !!viewer && (viewer.permissions.includes(permission) || viewer.roles.some((g) => g.permissions.includes(permission)));
}

/** Held company-wide: company settings (ladder, calendar, weights, thresholds). */
export function holdsCompanyWide(viewer: Viewer | null, permission: Permission): boolean {
  return !!viewer?.permissions.includes(permission);
}

/** 30分钟, 4小时, 1天, 1时30分: how a target reads. */
export function minutesLabel(min: number): string {
  if (min % 1440 === 0) return `${min / 1440}天`;
  if (min % 60 === 0) return `${min / 60}小时`;
  if (min > 60) return `${Math.floor(min / 60)}时${min % 60}分`;
  return `${min}分钟`;
}
