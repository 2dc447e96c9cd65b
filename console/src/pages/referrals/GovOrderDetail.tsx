// One 12345 order: what the government sent, the answers that went back, and the answer form —
// progress before the result, the result once the case is resolved, 退回 (not within our remit)
// by a supervisor only. Offered only with `gov_order:answer` in the order's project.
import { Button, Descriptions, Drawer, Input, Radio, Select, Timeline, Typography } from "antd";
import { useState } from "react";
import { Link } from "react-router-dom";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import { can, useAuth } from "../../auth";
import type { GovAnswerKind, GovOrderRowFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { beijingTime } from "../../ui/Deadline";
import { formKeys } from "../../ui/keys";
import { FormError, useAction } from "../../ui/action";
import { GovDeadlines } from "./deadlines";
import { AnswerGovOrderDoc, OutsideBodiesDoc } from "./queries";

const DONE_CASE = new Set(["RESOLVED", "CONFIRMED", "CLOSED"]);

interface Props {
  order: GovOrderRowFragment | null;
  onClose: () => void;
  onChanged: (o: GovOrderRowFragment) => void;
}

function Answer({ o, supervisor, onChanged }: { o: GovOrderRowFragment; supervisor: boolean; onChanged: Props["onChanged"] }) {
  const t = useT();
  const resolved = !!o.case && DONE_CASE.has(o.case.state);
  const [kind, setKind] = useState<GovAnswerKind>(resolved ? "RESULT" : "PROGRESS");
  const [words, setWords] = useState("");
  const [bodyId, setBodyId] = useState<string | undefined>();
  const bodies = useQuery(OutsideBodiesDoc, { projectId: o.projectId }, kind !== "RETURNED");
  const act = useAction("answerGovOrder", async (key) => {
    const text = words.trim() || null;
    const p = check((await request(AnswerGovOrderDoc, kind === "RETURNED"
      ? { orderId: o.id, kind, reason: text, bodyId: bodyId ?? null, key }
      : { orderId: o.id, kind, text, key })).answerGovOrder);
    if (p.order) onChanged(p.order);
    setWords("");
  });
  const submit = () => void act.run();
  return (
    <div data-testid="gov-answer" onKeyDown={formKeys(submit, () => undefined)} style={{ marginTop: 16 }}>
      <Typography.Title level={5}><L zh="回复12345" en="Answer back" /></Typography.Title>
      <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as GovAnswerKind)} options={[
        { value: "PROGRESS", label: t("进展", "Progress") },
        { value: "RESULT", label: t("办结结果", "Result"), disabled: !resolved },
        ...(supervisor ? [{ value: "RETURNED", label: t("退回（不属于本单位职责）", "Return (not ours)") }] : []),
      ]} />
      {!resolved && <div className="fc-beside"><L zh="工单完工后才能回复办结结果" en="The result can go back once the case is resolved" /></div>}
      <Input.TextArea rows={3} value={words} onChange={(e) => setWords(e.target.value)} maxLength={2000} style={{ marginTop: 8 }}
                      aria-label={kind === "RETURNED" ? t("退回原因", "Reason") : t("回复内容", "Answer")}
                      placeholder={kind === "RETURNED" ? t("退回原因（必填），同时以书面答复婉拒工单", "Why it is not ours (required); the case is declined with a written reply")
                        : kind === "RESULT" ? t("办结结果，如 已更换灯具，恢复照明", "The result") : t("进展，如 已安排电工今日17:00前到场", "Progress so far")} />
      {kind === "RETURNED" && (
        <Select allowClear style={{ width: "100%", marginTop: 8 }} value={bodyId} onChange={setBodyId} loading={bodies.loading}
                aria-label={t("责任单位", "Responsible body")} placeholder={t("责任单位（可选）", "Responsible body (optional)")}
                options={(bodies.data?.outsideBodies ?? []).filter((b) => b.active).map((b) => ({ value: b.id, label: `${b.name}（${b.kindLabel}）` }))} />
      )}
      <Button type="primary" style={{ marginTop: 8 }} loading={act.busy} disabled={!words.trim()} onClick={submit} data-testid="gov-answer-submit">
        <L zh="发送回复" en="Send" /> (Ctrl+Enter)
      </Button>
      <FormError error={act.error} />
    </div>
  );
}

export function GovOrderDetail({ order: o, onClose, onChanged }: Props) {
  const t = useT();
  const { viewer } = useAuth();
  const may = !!o && can(viewer, "GOV_ORDER_ANSWER", o.projectId);
  const supervisor = !!o && can(viewer, "CASE_SUPERVISE", o.projectId);
  const open = !!o && (o.status === "RECEIVED" || o.status === "RESPONDED");
  return (
    <Drawer open={!!o} onClose={onClose} width={560} data-testid="gov-detail"
            title={o && <span className="fc-num">{o.orderNumber} <span className="fc-beside">{o.statusLabel}</span></span>}>
      {o && (
        <>
          <Descriptions size="small" column={1} items={[
            { key: "content", label: t("诉求", "Request"), children: o.content },
            { key: "cat", label: t("类别 · 紧急程度", "Category · urgency"), children: `${o.category} · ${o.urgencyLabel}` },
            { key: "place", label: t("地点", "Address"), children: o.address ?? "—" },
            { key: "who", label: t("来电人", "Caller"), children: `${o.requesterName ?? "—"} ${o.requesterPhone ?? ""}` },
            { key: "received", label: t("接收", "Received"), children: beijingTime(o.receivedAt) },
            { key: "due", label: t("时限", "Deadlines"), children: <GovDeadlines o={o} /> },
            { key: "case", label: t("工单", "Case"), children: o.case ? <Link to={`/cases/${o.case.id}`}>{o.case.number} · {o.case.stateLabel}</Link> : "—" },
            ...(o.result ? [{ key: "result", label: t("办结结果", "Result"), children: o.result }] : []),
            ...(o.returnedReason ? [{ key: "ret", label: t("退回原因", "Returned"), children: o.returnedReason }] : []),
            ...(o.evaluation ? [{ key: "eval", label: t("政府评价", "Evaluation"), children: o.evaluationLabel ?? o.evaluation }] : []),
          ]} />
          <Typography.Title level={5} style={{ marginTop: 12 }}><L zh="已回复" en="Answers sent" /></Typography.Title>
          {o.answers.length === 0 ? <span className="fc-beside"><L zh="尚未回复" en="Nothing sent yet" /></span> : (
            <Timeline items={[...o.answers].reverse().map((a) => ({
              key: a.id, color: "gray",
              children: <div><b>{a.kindLabel}</b> <span className="fc-beside fc-num">{beijingTime(a.createdAt)} · {a.status === "sent" ? t("已送达", "sent") : t("待发送", "pending")}</span>{a.text && <div>{a.text}</div>}</div>,
            }))} />
          )}
          {open && may && <Answer key={`${o.status}-${o.case?.state ?? ""}`} o={o} supervisor={supervisor} onChanged={onChanged} />}
          {open && !may && <p className="fc-beside"><L zh="你在此项目没有答复 12345 的权限，只能查看" en="You may only look: no permission to answer in this project" /></p>}
        </>
      )}
    </Drawer>
  );
}
