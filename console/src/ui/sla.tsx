// SLA countdown (design brief §4): one clock ticking for every chip on the page, text beside the
// colour so colour is never the only cue.
import { Tag, Tooltip } from "antd";
import { useSyncExternalStore } from "react";

let now = Date.now();
const ticking = new Set<() => void>();
let timer: number | undefined;

function subscribe(fn: () => void) {
  ticking.add(fn);
  if (timer === undefined) {
    timer = window.setInterval(() => {
      if (document.hidden) return; // paused while the tab is hidden
      now = Date.now();
      ticking.forEach((f) => f());
    }, 1000);
  }
  return () => {
    ticking.delete(fn);
    if (ticking.size === 0) {
      window.clearInterval(timer);
      timer = undefined;
    }
  };
}

export function useNow(): number {
  return useSyncExternalStore(subscribe, () => now);
}

export function span(ms: number): string {
  const m = Math.floor(Math.abs(ms) / 60_000);
  if (m >= 1440) return `${Math.floor(m / 1440)}天${Math.floor((m % 1440) / 60)}时`;
  if (m >= 60) return `${Math.floor(m / 60)}时${String(m % 60).padStart(2, "0")}分`;
  if (m >= 10) return `${m}分`;
  const s = Math.floor(Math.abs(ms) / 1000);
  return `${Math.floor(s / 60)}分${String(s % 60).padStart(2, "0")}秒`;
}

export interface Target {
  target: string;
  targetLabel: string;
  dueAt: string;
  metAt?: string | null;
  state: string;
  stateLabel: string;
  provisional: boolean;
}

const OPEN = new Set(["ON_TRACK", "AT_RISK", "BREACHED"]);

/** The open target due first: the one a row's chip shows. */
export function nextTarget(targets: Target[]): Target | undefined {
  return targets.filter((t) => OPEN.has(t.state)).sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
}

export function SlaChip({ target }: { target: Target | undefined }) {
  const time = useNow();
  if (!target) return <span className="fc-beside">—</span>;
  if (target.state === "WAITING") return <Tag>⏸ 暂停计时</Tag>;
  const left = new Date(target.dueAt).getTime() - time;
  const late = left < 0;
  const risk = !late && target.state === "AT_RISK";
  const text = `${target.targetLabel} ${late ? "超" : "剩"}${target.provisional ? "≈" : ""}${span(left)}`;
  return (
    <Tooltip title={`${target.targetLabel} ${new Date(target.dueAt).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" })}`}>
      <Tag color={late ? "volcano" : risk ? "gold" : "green"} className="fc-num" data-testid="sla-chip">
        {late ? "⚠ " : "● "}{text}
      </Tag>
    </Tooltip>
  );
}
