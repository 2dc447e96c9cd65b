// One form's submit: busy, the API's error shown where the user acted, and its own idempotency key
// (kept across retries of the same submit, renewed once it succeeded so the next act is new).
import { Alert } from "antd";
import { useRef, useState } from "react";
import { ApiError } from "../api/client";

export interface Action {
  busy: boolean;
  error: ApiError | null;
  run: <T>(fn: (key: string) => Promise<T>) => Promise<T | undefined>;
  fail: (e: ApiError) => void;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const key = useRef(crypto.randomUUID());
  async function run<T>(fn: (key: string) => Promise<T>): Promise<T | undefined> {
    if (busy) return undefined;
    setBusy(true);
    setError(null);
    try {
      const result = await fn(key.current);
      key.current = crypto.randomUUID();
      return result;
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError("INTERNAL", String(e)));
      return undefined;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, run, fail: setError };
}

export function ActionError({ error, testId = "action-error" }: { error: ApiError | null; testId?: string }) {
  if (!error) return null;
  return <Alert type="error" showIcon role="alert" style={{ marginTop: 8 }} data-testid={testId}
                message={<span>{error.message} <code>{error.code}</code></span>} />;
}
