// The reported items as a board, one column per status (已上报 → 已确认 → 已整改 → 已落实); an
// item moves one step on with the evidence of that step.
import { Button, Card, Empty, Input } from "antd";
import { useState } from "react";
import { check, request } from "../../api/client";
import type { DecisionFeedbackStatus, FeedbackItemFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { formKeys } from "../../ui/keys";
import { FormError, useAction } from "../../ui/action";
import { AdvanceFeedbackDoc } from "./queries";

const COLUMNS: { status: DecisionFeedbackStatus; zh: string; en: string }[] = [
  { status: "REPORTED", zh: "已上报", en: "Reported" },
  { status: "ACKNOWLEDGED", zh: "已确认", en: "Acknowledged" },
  { status: "CORRECTED", zh: "已整改", en: "Corrected" },
  { status: "IMPLEMENTED", zh: "已落实", en: "Implemented" },
];

function Advance({ item, onChanged }: { item: FeedbackItemFragment; onChanged: () => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [evidence, setEvidence] = useState("");
  const act = useAction("advanceDecisionFeedback", async (key, status: DecisionFeedbackStatus) => {
    check((await request(AdvanceFeedbackDoc, { key, input: { itemId: item.id, status, evidence: evidence.trim() } })).advanceDecisionFeedback);
    setOpen(false);
    setEvidence("");
    onChanged();
  });
  const next = COLUMNS.find((c) => c.status === item.nextStatus);
  if (!next) return null;
  const submit = () => void act.run(next.status);
  if (!open) return <Button size="small" onClick={() => setOpen(true)} data-testid="feedback-advance">{t(`推进到「${next.zh}」`, `Move to ${next.en}`)}</Button>;
  return (
    <div onKeyDown={formKeys(submit, () => setOpen(false))}>
      <Input.TextArea rows={3} autoFocus value={evidence} onChange={(e) => setEvidence(e.target.value)} maxLength={2000}
                      aria-label={t("进展依据", "Evidence")} placeholder={t("依据（必填）：部门回复、已做的事、核查情况", "Evidence (required): the reply, what was done, what was checked")} />
      <Button size="small" type="primary" style={{ marginTop: 4 }} loading={act.busy} disabled={!evidence.trim()} onClick={submit}
              data-testid="feedback-advance-submit">{t(`确认「${next.zh}」`, `Confirm ${next.en}`)}</Button>
      <Button size="small" type="link" onClick={() => setOpen(false)}><L zh="取消" en="Cancel" /></Button>
      <FormError error={act.error} />
    </div>
  );
}

function ItemCard({ item, may, onChanged }: { item: FeedbackItemFragment; may: boolean; onChanged: () => void }) {
  const last = item.steps[item.steps.length - 1];
  return (
    <Card size="small" style={{ marginBottom: 8 }} data-testid="feedback-item" data-status={item.status}
          title={<span title={item.title}>{item.title}</span>}>
      <div className="fc-beside">{item.projectName} · {item.category.label} · {item.body?.name ?? "未指定单位"} · {item.period.slice(0, 7)}</div>
      <div className="fc-num">{item.caseCount} 件 · 已 {item.ageDays} 天 · {item.reporter.displayName}</div>
      {last && <div style={{ marginTop: 4 }}><span className="fc-beside">{last.statusLabel}：</span>{last.evidence}</div>}
      {may && <div style={{ marginTop: 6 }}><Advance item={item} onChanged={onChanged} /></div>}
    </Card>
  );
}

export function FeedbackBoard({ items, may, onChanged }: { items: FeedbackItemFragment[]; may: (projectId: string) => boolean; onChanged: () => void }) {
  if (items.length === 0) return <Empty description={<L zh="还没有上报的事项：在上表中选择一项上报" en="Nothing reported yet: report a candidate above" />} />;
  return (
    <div style={{ display: "grid", gridTemplateColumns: "repeat(4, minmax(0, 1fr))", gap: 12, alignItems: "start" }} data-testid="feedback-board">
      {COLUMNS.map((col) => {
        const mine = items.filter((i) => i.status === col.status);
        return (
          <div key={col.status} data-column={col.status} style={{ background: "#fafafa", padding: 8, borderRadius: 4, minHeight: 80 }}>
            <div style={{ fontWeight: 600, marginBottom: 8 }}><L zh={col.zh} en={col.en} /> <span className="fc-num fc-beside">{mine.length}</span></div>
            {mine.map((i) => <ItemCard key={i.id} item={i} may={may(i.projectId)} onChanged={onChanged} />)}
          </div>
        );
      })}
    </div>
  );
}
