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

interface CountedPage<N> extends Page<N> { totalCount: number }

export interface Paged<N> extends Loaded<N> {
  total: number | null;
  hasMore: boolean;
  loadMore: () => Promise<void>;
}

/** A table's first page, then 加载更多 one page at a time; a refetch starts again from the top. */
export function usePaged<N>(fetchPage: (after: string | null) => Promise<CountedPage<N>>, key: string): Paged<N> {
  const [extra, setExtra] = useState<{ rows: N[]; after: string | null; total: number } | null>(null);
  const [moreError, setMoreError] = useState<ApiError | null>(null);
  const first = useAllPages<N>(async () => {
    const page = await fetchPage(null);
    setExtra({ rows: [], after: page.pageInfo.hasNextPage ? page.pageInfo.endCursor ?? null : null, total: page.totalCount });
    setMoreError(null);
    return { pageInfo: { hasNextPage: false }, edges: page.edges };
  }, key);
  const loadMore = async () => {
    if (!extra?.after) return;
    try {
      const page = await fetchPage(extra.after);
      setExtra({ rows: [...extra.rows, ...page.edges.map((e) => e.node)], total: page.totalCount,
                 after: page.pageInfo.hasNextPage ? page.pageInfo.endCursor ?? null : null });
    } catch (e) {
      setMoreError(e instanceof ApiError ? e : new ApiError("INTERNAL", String(e)));
    }
  };
  return { ...first, rows: first.rows && [...first.rows, ...(extra?.rows ?? [])], error: first.error ?? moreError,
           total: extra?.total ?? null, hasMore: !!extra?.after, loadMore };
}
