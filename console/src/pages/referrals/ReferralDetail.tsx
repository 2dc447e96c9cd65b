// One referral: what was asked of whom, its history and messages, and — for whoever may refer cases
// in its project — the body's answer entered by hand, taking the case back, the letter printed.
import { App, Button, Descriptions, Drawer, Input, Radio, Space, Timeline, Typography } from "antd";
import { useState } from "react";
import { Link } from "react-router-dom";
import { check, request } from "../../api/client";
import { openPrint } from "../../api/documents";
import { useAuth, can } from "../../auth";
import type { ReferralFeedback, ReferralRowFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { beijingTime } from "../../ui/Deadline";
import { formKeys } from "../../ui/keys";
import { FormError, useAction } from "../../ui/action";
import { ReferralDeadline } from "./deadlines";
import { LetterPrintedDoc, RecordFeedbackDoc, WithdrawReferralDoc } from "./queries";

interface Props {
  referral: ReferralRowFragment | null;
  onClose: () => void;
  onChanged: (r: ReferralRowFragment) => void;
}

function Feedback({ r, onChanged }: { r: ReferralRowFragment; onChanged: Props["onChanged"] }) {
  const t = useT();
  const [kind, setKind] = useState<ReferralFeedback>(r.status === "SENT" ? "ACKNOWLEDGED" : "ANSWERED");
  const [note, setNote] = useState("");
  const act = useAction("recordReferralFeedback", async (key) => {
    const p = check((await request(RecordFeedbackDoc, { referralId: r.id, feedback: kind, note: note.trim() || null, key })).recordReferralFeedback);
    if (p.referral) onChanged(p.referral);
    setNote("");
  });
  const submit = () => void act.run();
  return (
    <div data-testid="referral-feedback" onKeyDown={formKeys(submit, () => undefined)}>
      <Typography.Title level={5}><L zh="录入反馈" en="Record the body's answer" /></Typography.Title>
      <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as ReferralFeedback)} options={[
        { value: "ACKNOWLEDGED", label: t("签收", "Acknowledged"), disabled: r.status !== "SENT" },
        { value: "ANSWERED", label: t("答复（办结工单）", "Answered (resolves the case)") },
      ]} />
      <Input.TextArea rows={2} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} style={{ marginTop: 8 }}
                      aria-label={kind === "ANSWERED" ? t("答复结果", "Outcome") : t("签收说明", "Note")}
                      placeholder={kind === "ANSWERED" ? t("答复结果，业主将看到，如 违建已于12月3日拆除", "The outcome, shown to the resident")
                        : t("签收说明，如 已收到，安排执法队核查", "What the body said")} />
      <Button type="primary" style={{ marginTop: 8 }} loading={act.busy} onClick={submit} data-testid="referral-feedback-submit">
        <L zh="录入反馈" en="Record" /> (Ctrl+Enter)
      </Button>
      <FormError error={act.error} />
    </div>
  );
}

function Withdraw({ r, onChanged }: { r: ReferralRowFragment; onChanged: Props["onChanged"] }) {
  const t = useT();
  const [reason, setReason] = useState("");
  const act = useAction("withdrawReferral", async (key) => {
    const p = check((await request(WithdrawReferralDoc, { referralId: r.id, reason: reason.trim(), key })).withdrawReferral);
    if (p.referral) onChanged(p.referral);
  });
  const submit = () => void act.run();
  return (
    <div data-testid="referral-withdraw" style={{ marginTop: 16 }}>
      <Typography.Title level={5}><L zh="撤回转办" en="Take the case back" /></Typography.Title>
      <Input.TextArea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000}
                      aria-label={t("撤回原因", "Reason")} placeholder={t("撤回原因（必填），工单回到本单位继续处理", "Why (required); the case is ours again")} />
      <Button danger style={{ marginTop: 8 }} loading={act.busy} disabled={!reason.trim()} onClick={submit} data-testid="referral-withdraw-submit">
        <L zh="撤回" en="Withdraw" />
      </Button>
      <FormError error={act.error} />
    </div>
  );
}

function Letter({ r, may, onChanged }: { r: ReferralRowFragment; may: boolean; onChanged: Props["onChanged"] }) {
  const { message } = App.useApp();
  const waiting = r.deliveries.filter((d) => d.kind === "letter" && d.status === "pending").length;
  const act = useAction("markReferralLetterPrinted", async (key) => {
    const p = check((await request(LetterPrintedDoc, { referralId: r.id, key })).markReferralLetterPrinted);
    if (p.referral) onChanged(p.referral);
  });
  const printed = () => void act.run();
  return (
    <div style={{ marginTop: 16 }}>
      <Space wrap>
        <Button onClick={() => openPrint(`/print/referrals/${encodeURIComponent(r.id)}`).catch((e: unknown) => void message.error(e instanceof Error ? e.message : String(e)))}
                data-testid="referral-print"><L zh="打印转办函" en="Print the letter" /></Button>
        {may && waiting > 0 && (
          <Button loading={act.busy} onClick={printed} data-testid="referral-printed">
            <L zh={`标记已打印（${waiting} 份待打印）`} en={`Mark printed (${waiting} waiting)`} />
          </Button>
        )}
      </Space>
      <FormError error={act.error} />
    </div>
  );
}

export function ReferralDetail({ referral: r, onClose, onChanged }: Props) {
  const t = useT();
  const { viewer } = useAuth();
  const may = !!r && can(viewer, "CASE_REFER", r.projectId);
  const open = !!r && (r.status === "SENT" || r.status === "ACKNOWLEDGED");
  return (
    <Drawer open={!!r} onClose={onClose} width={560} data-testid="referral-detail"
            title={r && <span>{t("转办", "Referral")} {r.case?.number ?? ""} <span className="fc-beside">{r.statusLabel}</span></span>}>
      {r && (
        <>
          <Descriptions size="small" column={1} items={[
            { key: "case", label: t("工单", "Case"), children: r.case ? <span><Link to={`/cases/${r.case.id}`}>{r.case.number}</Link> {r.case.stateLabel}<br />{r.case.description}</span> : "—" },
            { key: "project", label: t("项目", "Project"), children: r.project?.name ?? "—" },
            { key: "body", label: t("外部单位", "Body"), children: r.body ? `${r.body.name}（${r.body.kindLabel}）${r.body.contactName ? ` · ${r.body.contactName}` : ""}${r.body.contactPhone ? ` ${r.body.contactPhone}` : ""}` : "—" },
            { key: "reason", label: t("转办原因", "Reason"), children: r.reason },
            { key: "asked", label: t("请求事项", "Asked"), children: r.requestedAction },
            { key: "by", label: t("转办", "Referred"), children: `${beijingTime(r.createdAt)} · ${r.creator.displayName}` },
            { key: "due", label: t("反馈期限", "Answer due"), children: <span>{beijingTime(r.dueAt)} <ReferralDeadline r={r} /></span> },
            ...(r.outcome ? [{ key: "outcome", label: t("答复结果", "Outcome"), children: r.outcome }] : []),
          ]} />
          <Typography.Title level={5} style={{ marginTop: 12 }}><L zh="记录" en="History" /></Typography.Title>
          <Timeline items={[...r.history].reverse().map((h, i) => ({
            key: i, color: "gray",
            children: <div><b>{h.kindLabel}</b> <span className="fc-beside fc-num">{beijingTime(h.at)} · {h.actedBy.displayName}</span>{h.note && <div>{h.note}</div>}</div>,
          }))} />
          {open && may && <Feedback key={r.status} r={r} onChanged={onChanged} />}
          {open && may && <Withdraw r={r} onChanged={onChanged} />}
          <Letter r={r} may={may} onChanged={onChanged} />
          {!may && open && <p className="fc-beside" style={{ marginTop: 12 }}><L zh="你在此项目没有转办权限，只能查看" en="You may only look: no referral permission in this project" /></p>}
        </>
      )}
    </Drawer>
  );
}
