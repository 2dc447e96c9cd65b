// A deadline outside the case's own SLA (a referral's answer, a 12345 order's response and result)
// counting down in the same scale as the SLA chips: green under 80 % of the time used, yellow
// to 100 %, orange once late; once met, plain text. Text always says it, colour never alone.
import { Tag, Tooltip } from "antd";
import { span, useNow } from "./sla";

const at = (iso: string) => new Date(iso).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" });

interface Props {
  label: string;
  start: string;
  due: string;
  /** When it was met (answered); null while open. */
  doneAt?: string | null;
  /** Stopped without being met (withdrawn, returned): no clock. */
  stopped?: boolean;
  testId?: string;
}

export function Deadline({ label, start, due, doneAt, stopped, testId = "deadline" }: Props) {
  const now = useNow();
  const dueMs = new Date(due).getTime();
  if (stopped) return <Tag className="fc-chip-done" data-testid={testId}>{label} —</Tag>;
  if (doneAt) {
    const late = new Date(doneAt).getTime() > dueMs;
    return (
      <Tooltip title={`${label} ${at(due)} · ${at(doneAt)}`}>
        <Tag key="done" className="fc-chip-done fc-num" data-testid={testId} data-band="done">{label} ✓{late ? " 逾期完成" : " 按时"}</Tag>
      </Tooltip>
    );
  }
  const left = dueMs - now;
  const total = Math.max(dueMs - new Date(start).getTime(), 1);
  const band = left < 0 ? "late" : 1 - left / total >= 0.8 ? "risk" : "ok";
  return (
    <Tooltip title={`${label} ${at(due)}`}>
      <Tag key={band} className={`fc-chip-${band} fc-num`} data-testid={testId} data-band={band}>
        {band === "late" ? "⚠ " : "● "}{label} {left < 0 ? "超" : "剩"}{span(left)}
      </Tag>
    </Tooltip>
  );
}

export { at as beijingTime };
