// Every page of a list the grid must show whole (a building's flats, a project's buildings): the
// API pages at most 100 rows, a 30-floor tower of four flats a floor holds 120.
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "../../api/client";

interface Page<N> { pageInfo: { hasNextPage: boolean; endCursor?: string | null }; edges: { node: N }[] }

export interface Loaded<N> {
  rows: N[] | null;
  error: ApiError | null;
  loading: boolean;
  refetch: () => Promise<void>;
}

/** fetchPage(after) answers one page; the rows of all pages, the last rows kept while refetching. */
export function useAllPages<N>(fetchPage: (after: string | null) => Promise<Page<N>>, key: string, skip = false): Loaded<N> {
  const [rows, setRows] = useState<N[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(!skip);
  const latest = useRef(0);
  const target = useRef(fetchPage);
  target.current = fetchPage;

  const refetch = useCallback(async () => {
    const ticket = ++latest.current;
    setLoading(true);
    try {
      const all: N[] = [];
      let after: string | null = null;
      for (let i = 0; i < 50; i++) { // 5,000 rows: no building or project list of ours is longer
        const page: Page<N> = await target.current(after);
        all.push(...page.edges.map((e) => e.node));
        if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
        after = page.pageInfo.endCursor;
      }
      if (ticket === latest.current) {
        setRows(all);
        setError(null);
      }
    } catch (e) {
      if (ticket === latest.current) setError(e instanceof ApiError ? e : new ApiError("INTERNAL", String(e)));
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (skip) return;
    setRows(null);
    void refetch();
  }, [key, skip, refetch]);

  return { rows, error, loading, refetch };
}
