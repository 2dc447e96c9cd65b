// The case's SLA targets as chips (design brief §4): 承诺/到场/完成/回访, the latest round of each,
// counting down; the band from the state and the highest escalation of that target; text beside
// the colour always. Immediate escalations (no target) get a ⚑.
import { Space, Tag, Tooltip } from "antd";
import type { CaseDetailFragment } from "../../gql/graphql";
import { span, useNow } from "../../ui/sla";

type Target = CaseDetailFragment["sla"]["targets"][number];
type Escalation = CaseDetailFragment["escalations"][number];
const LEVEL: Record<string, number> = { l1: 1, l2: 2, l3: 3 };
const ORDER = ["commit", "arrive", "resolve", "visit"];

function latest(targets: Target[]): Target[] {
  const by = new Map<string, Target>();
  targets.forEach((t) => (!by.has(t.target) || by.get(t.target)!.round < t.round) && by.set(t.target, t));
  return [...by.values()].sort((a, b) => ORDER.indexOf(a.target) - ORDER.indexOf(b.target));
}

function Chip({ target, level }: { target: Target; level: number }) {
  const now = useNow();
  const at = new Date(target.dueAt).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" });
  const label = target.targetLabel;
  if (target.state === "WAITING") return <Tag className="fc-chip">⏸ {label} 暂停计时</Tag>;
  if (["MET", "MET_LATE", "STOPPED"].includes(target.state)) {
    return <Tooltip title={at}><Tag className="fc-chip fc-chip-done">✓ {label} {target.stateLabel}</Tag></Tooltip>;
  }
  const left = new Date(target.dueAt).getTime() - now;
  const approx = target.provisional ? "≈" : "";
  let cls = "fc-chip-ok", text = `● ${label} 剩${approx}${span(left)}`;
  if (left < 0) {
    cls = level >= 3 ? "fc-chip-l3" : level === 2 ? "fc-chip-l2" : "fc-chip-late";
    text = `⚠ ${label} 超${approx}${span(left)}${level ? ` · L${level}` : ""}`;
  } else if (target.state === "AT_RISK") {
    cls = "fc-chip-risk";
    text = `◔ ${label} 剩${approx}${span(left)}`;
  }
  return (
    <Tooltip title={`${label} ${at}`}>
      <Tag className={`fc-chip fc-num ${cls}`} data-testid="sla-target" data-target={target.target}>{text}</Tag>
    </Tooltip>
  );
}

export function SlaChips({ c }: { c: CaseDetailFragment }) {
  const levelOf = (target: string) =>
    Math.max(0, ...c.escalations.filter((e: Escalation) => e.target === target).map((e) => LEVEL[e.level] ?? 0));
  const immediate = c.escalations.filter((e) => !e.target && LEVEL[e.level]);
  const targets = latest(c.sla.targets);
  return (
    <Space wrap size={4} data-testid="sla-chips">
      {targets.length === 0 && <span className="fc-beside">尚无时效目标 No SLA target yet</span>}
      {targets.map((t) => <Chip key={t.target} target={t} level={levelOf(t.target)} />)}
      {immediate.map((e) => <Tag key={e.id} className="fc-chip">⚑ {e.levelLabel} · {e.reasonLabel}</Tag>)}
    </Space>
  );
}
