// The board's state in the URL (view, metric, filters) and the order that stays put while the
// figures refresh: cells whose figures changed pulse, and R sorts again (design brief §5).
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useSearchParams } from "react-router-dom";
import { healthOf, HEALTH, type Health, type Row } from "./health";

export type Metric = "health" | "responseRate" | "resolutionRate" | "satisfactionRate" | "standardScore";
export const METRICS: { value: Metric; zh: string; en: string }[] = [
  { value: "health", zh: "健康", en: "Health" },
  { value: "responseRate", zh: "响应率", en: "Response" },
  { value: "resolutionRate", zh: "解决率", en: "Resolution" },
  { value: "satisfactionRate", zh: "满意率", en: "Satisfaction" },
  { value: "standardScore", zh: "标准分", en: "Std score" },
];

export interface Filters {
  view: "table" | "map";
  metric: Metric;
  q: string;
  city: string | null;
  type: string | null;
  colour: Health | null;
  red: boolean;
}

export function useBoardParams() {
  const [params, setParams] = useSearchParams();
  const colour = params.get("colour");
  const filters: Filters = {
    view: params.get("view") === "map" ? "map" : "table",
    metric: (METRICS.find((m) => m.value === params.get("metric"))?.value ?? "health"),
    q: params.get("q") ?? "",
    city: params.get("city"),
    type: params.get("type"),
    colour: colour && colour in HEALTH ? (colour as Health) : null,
    red: params.get("red") === "1",
  };
  const set = useCallback((key: string, value: string | null) => {
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (value) next.set(key, value); else next.delete(key);
      return next;
    }, { replace: true });
  }, [setParams]);
  return { params, filters, set };
}

export function applyFilters(rows: Row[], f: Filters): Row[] {
  const q = f.q.toLowerCase();
  return rows.filter((r) => (!f.red || healthOf(r) === "red")
    && (!f.colour || healthOf(r) === f.colour)
    && (!f.city || r.project.city === f.city)
    && (!f.type || r.project.propertyType === f.type)
    && (!q || r.project.name.includes(f.q) || r.project.code.toLowerCase().includes(q) || r.project.city.includes(f.q)));
}

/** The value a cell shows: health as its order (0 red … 4 grey), rates in %, the standard score. */
export function valueOf(r: Row, metric: Metric): number | null {
  if (metric === "health") return HEALTH[healthOf(r)].order;
  if (metric === "standardScore") return r.standardScore ?? null;
  const v = r.month[metric];
  return v == null ? null : +(v * 100).toFixed(1);
}

/** Worst first: the projects that need a look come to the top-left of the map and the table. */
function sortRows(rows: Row[], metric: Metric): string[] {
  const key = (r: Row) => {
    const v = valueOf(r, metric);
    return v == null ? Number.POSITIVE_INFINITY : v;
  };
  return [...rows].sort((a, b) => key(a) - key(b) || (a.rank ?? 1e9) - (b.rank ?? 1e9) || a.project.code.localeCompare(b.project.code))
    .map((r) => r.project.id);
}

const fingerprint = (r: Row) => [healthOf(r), r.open, r.overdue, r.breachedToday, r.alerts.red, r.alerts.orange, r.alerts.yellow,
  r.month.responseRate, r.month.resolutionRate, r.month.satisfactionRate, r.standardScore].join("|");

/** Rows in a frozen order; changed: ids whose figures moved in the last refresh (pulsing ~4 s).
 *  The order is kept in a ref, so freezing it costs no second render (nor a second chart draw). */
export function useFrozenOrder(rows: Row[], metric: Metric, filterKey: string) {
  const frozen = useRef<string[] | null>(null);
  const sortedBy = useRef("");
  const [epoch, setEpoch] = useState(0);
  const [changed, setChanged] = useState<Set<string>>(new Set());
  const [stale, setStale] = useState(false);
  const seen = useRef<Map<string, string>>(new Map());
  const resort = useCallback(() => {
    frozen.current = null;
    setStale(false);
    setEpoch((e) => e + 1);
  }, []);

  useEffect(() => setStale(false), [metric, filterKey]);
  useEffect(() => {
    const moved = new Set<string>();
    for (const r of rows) {
      const before = seen.current.get(r.project.id);
      const now = fingerprint(r);
      if (before !== undefined && before !== now) moved.add(r.project.id);
      seen.current.set(r.project.id, now);
    }
    if (moved.size === 0) return;
    setChanged(moved);
    setStale(true);
    const t = window.setTimeout(() => setChanged(new Set()), 4000);
    return () => window.clearTimeout(t);
  }, [rows]);

  const sorted = useMemo(() => {
    if (sortedBy.current !== `${metric}|${filterKey}`) {
      sortedBy.current = `${metric}|${filterKey}`;
      frozen.current = null;
    }
    const byId = new Map(rows.map((r) => [r.project.id, r]));
    const ids = frozen.current ?? sortRows(rows, metric);
    const known = new Set(ids);
    const order = [...ids.filter((id) => byId.has(id)), ...rows.filter((r) => !known.has(r.project.id)).map((r) => r.project.id)];
    if (rows.length) frozen.current = order;
    return order.map((id) => byId.get(id)!);
  }, [rows, metric, filterKey, epoch]); // eslint-disable-line react-hooks/exhaustive-deps

  return { sorted, changed, stale, resort };
}
