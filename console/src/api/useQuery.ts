// A query bound to a component: loading, data, error; on error the last data stays (stale rows + banner).
import { useCallback, useEffect, useRef, useState } from "react";
import type { TypedDocumentString } from "../gql/graphql";
import { ApiError } from "./client";
import { primedOrRequest } from "./prime";

export interface QueryState<R> {
  data: R | null;
  error: ApiError | null;
  loading: boolean;
  refetch: () => Promise<void>;
}

export function useQuery<R, V>(doc: TypedDocumentString<R, V>, variables: V, skip = false): QueryState<R> {
  const [data, setData] = useState<R | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(!skip);
  const key = JSON.stringify(variables);
  const latest = useRef(0);

  const refetch = useCallback(async () => {
    const ticket = ++latest.current;
    setLoading(true);
    try {
      const result = await primedOrRequest(doc, JSON.parse(key) as V);
      if (ticket === latest.current) {
        setData(result);
        setError(null);
      }
    } catch (e) {
      if (ticket === latest.current) setError(e instanceof ApiError ? e : new ApiError("INTERNAL", String(e)));
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  }, [doc, key]);

  useEffect(() => {
    if (!skip) void refetch();
  }, [refetch, skip]);

  return { data, error, loading, refetch };
}

/** Calls fn at most once per interval: at once, then once more at the end of the interval if asked again. */
export function useThrottled(fn: () => void, ms: number): () => void {
  const last = useRef(0);
  const pending = useRef<number | undefined>(undefined);
  const target = useRef(fn);
  target.current = fn;
  useEffect(() => () => window.clearTimeout(pending.current), []);
  return useCallback(() => {
    const wait = last.current + ms - Date.now();
    if (wait <= 0) {
      last.current = Date.now();
      target.current();
    } else if (pending.current === undefined) {
      pending.current = window.setTimeout(() => {
        pending.current = undefined;
        last.current = Date.now();
        target.current();
      }, wait);
    }
  }, [ms]);
}
