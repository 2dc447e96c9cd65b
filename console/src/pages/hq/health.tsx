// A project's health colour: the worst of its unresolved alerts, then the SLA clock (breaches
// today, overdue cases); green when on track; grey with no cases at all. Text beside the dot.
import type { OrgOverviewQuery } from "../../gql/graphql";

export type Row = OrgOverviewQuery["orgOverview"]["projects"][number];
export type Health = "red" | "orange" | "yellow" | "green" | "grey";

export const HEALTH: Record<Health, { colour: string; zh: string; en: string; order: number }> = {
  red: { colour: "#cf1322", zh: "红", en: "Red", order: 0 },
  orange: { colour: "#fa8c16", zh: "橙", en: "Orange", order: 1 },
  yellow: { colour: "#fadb14", zh: "黄", en: "Yellow", order: 2 },
  green: { colour: "#52c41a", zh: "正常", en: "OK", order: 3 },
  grey: { colour: "#bfbfbf", zh: "无工单", en: "No cases", order: 4 },
};

export function healthOf(r: Row): Health {
  if (r.alerts.red > 0) return "red";
  if (r.alerts.orange > 0 || r.breachedToday > 0) return "orange";
  if (r.alerts.yellow > 0 || r.overdue > 0) return "yellow";
  if (r.open === 0 && r.month.received === 0) return "grey";
  return "green";
}

export function HealthDot({ health }: { health: Health }) {
  const h = HEALTH[health];
  return (
    <span className="fc-health" data-health={health}>
      <span className="fc-dot" style={{ background: h.colour }} aria-hidden />
      {h.zh}
    </span>
  );
}

export function pct(v: number | null | undefined): string {
  return v === null || v === undefined ? "—" : `${(v * 100).toFixed(1)}%`;
}

/** Month over month: blue up, grey down — never red or green, which mean SLA and health. */
export function Delta({ now, before }: { now: number | null | undefined; before: number | null | undefined }) {
  if (now == null || before == null || now === before) return null;
  const up = now > before;
  return <span className={up ? "fc-up" : "fc-down"}> {up ? "▲" : "▼"}{Math.abs((now - before) * 100).toFixed(1)}</span>;
}
