// 书面答复 The case's written replies, newest version first, each with its deliveries and its print.
// A supervisor of the project may revise it (a new version; old ones stay); whoever follows up
// with residents may record that it was delivered.
import { App, Button, Card, DatePicker, Input, Select, Space } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { check, request } from "../../api/client";
import { openPrint } from "../../api/documents";
import { can, useAuth } from "../../auth";
import type { CaseDetailFragment, DeliveryWay, WrittenReplyPanelFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { beijingTime } from "../../ui/Deadline";
import { formKeys } from "../../ui/keys";
import { FormError, useAction } from "../../ui/action";
import { ReplyDeliveryDoc, ReviseReplyDoc } from "./readQueries";

const WAYS: { value: DeliveryWay; zh: string; en: string }[] = [
  { value: "IN_PERSON", zh: "当面送达", en: "In person" },
  { value: "POST", zh: "邮寄", en: "Post" },
  { value: "EMAIL", zh: "电子邮件", en: "E-mail" },
  { value: "WECHAT", zh: "微信", en: "WeChat" },
  { value: "SMS", zh: "短信", en: "SMS" },
  { value: "APP", zh: "业主APP", en: "Owner app" },
  { value: "PHONE", zh: "电话告知", en: "Phone" },
];

function Revise({ c, latest, onDone, onCancel }: { c: CaseDetailFragment; latest: WrittenReplyPanelFragment; onDone: () => void; onCancel: () => void }) {
  const t = useT();
  const [reason, setReason] = useState(latest.reason);
  const [basis, setBasis] = useState(latest.basis);
  const [alternatives, setAlternatives] = useState(latest.alternatives.join("\n"));
  const act = useAction("reviseWrittenReply", async (key) => {
    check((await request(ReviseReplyDoc, { caseId: c.id, key, reply: {
      reason: reason.trim(), basis: basis.trim(), alternatives: alternatives.split("\n").map((a) => a.trim()).filter(Boolean) } })).reviseWrittenReply);
    onDone();
  });
  const submit = () => void act.run();
  return (
    <div data-testid="reply-revise" onKeyDown={formKeys(submit, onCancel)} style={{ marginTop: 8 }}>
      <Input.TextArea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} aria-label={t("婉拒理由", "Reason")} placeholder={t("婉拒理由", "Reason")} />
      <Input.TextArea rows={2} value={basis} onChange={(e) => setBasis(e.target.value)} style={{ marginTop: 6 }} aria-label={t("依据", "Basis")} placeholder={t("依据（制度或合同条款）", "The rule or clause")} />
      <Input.TextArea rows={2} value={alternatives} onChange={(e) => setAlternatives(e.target.value)} style={{ marginTop: 6 }}
                      aria-label={t("替代方案", "Alternatives")} placeholder={t("替代方案，每行一条（至少一条）", "Alternatives, one a line (at least one)")} />
      <Space style={{ marginTop: 6 }}>
        <Button type="primary" loading={act.busy} onClick={submit} data-testid="reply-revise-submit"><L zh="保存新版本" en="Save a new version" /> (Ctrl+Enter)</Button>
        <Button onClick={onCancel}><L zh="取消" en="Cancel" /></Button>
      </Space>
      <FormError error={act.error} />
    </div>
  );
}

function Delivered({ reply, onDone, onCancel }: { reply: WrittenReplyPanelFragment; onDone: () => void; onCancel: () => void }) {
  const t = useT();
  const [via, setVia] = useState<DeliveryWay>("IN_PERSON");
  const [recipient, setRecipient] = useState("");
  const [at, setAt] = useState<Dayjs>(() => dayjs());
  const [note, setNote] = useState("");
  const act = useAction("recordReplyDelivery", async (key) => {
    check((await request(ReplyDeliveryDoc, { key, input: {
      replyId: reply.id, via, recipient: recipient.trim(), deliveredAt: at.toISOString(), note: note.trim() || null } })).recordReplyDelivery);
    onDone();
  });
  const submit = () => void act.run();
  return (
    <div data-testid="reply-delivery" onKeyDown={formKeys(submit, onCancel)} style={{ marginTop: 8 }}>
      <Space wrap>
        <Select value={via} onChange={setVia} style={{ width: 120 }} aria-label={t("送达方式", "How")}
                options={WAYS.map((w) => ({ value: w.value, label: t(w.zh, w.en) }))} />
        <Input value={recipient} onChange={(e) => setRecipient(e.target.value)} style={{ width: 160 }} maxLength={100}
               aria-label={t("签收人", "Recipient")} placeholder={t("签收人，如 业主本人", "Who received it")} />
        <DatePicker showTime value={at} onChange={(v) => v && setAt(v)} allowClear={false} disabledDate={(d) => d.isAfter(dayjs())} aria-label={t("送达时间", "Delivered at")} />
      </Space>
      <Input value={note} onChange={(e) => setNote(e.target.value)} style={{ marginTop: 6 }} maxLength={500} aria-label={t("备注", "Note")} placeholder={t("备注（可选）", "Note (optional)")} />
      <Space style={{ marginTop: 6 }}>
        <Button type="primary" loading={act.busy} disabled={!recipient.trim()} onClick={submit} data-testid="reply-delivery-submit"><L zh="登记送达" en="Record delivery" /></Button>
        <Button onClick={onCancel}><L zh="取消" en="Cancel" /></Button>
      </Space>
      <FormError error={act.error} />
    </div>
  );
}

function Reply({ r }: { r: WrittenReplyPanelFragment }) {
  const t = useT();
  const { message } = App.useApp();
  return (
    <div data-testid="written-reply" data-version={r.version}>
      <div>
        <b>{t(`第 ${r.version} 版`, `Version ${r.version}`)}</b>{" "}
        <span className="fc-beside fc-num">{beijingTime(r.createdAt)}{r.signedBy && ` · ${t("签发", "signed")} ${r.signedBy.displayName}`}</span>{" "}
        <Button size="small" type="link" data-testid="reply-print"
                onClick={() => openPrint(r.printPath).catch((e: unknown) => void message.error(e instanceof Error ? e.message : String(e)))}>
          <L zh="打印" en="Print" />
        </Button>
      </div>
      <div><span className="fc-beside">{t("理由：", "Reason: ")}</span>{r.reason}</div>
      <div><span className="fc-beside">{t("依据：", "Basis: ")}</span>{r.basis}</div>
      <div><span className="fc-beside">{t("替代方案：", "Alternatives: ")}</span>{r.alternatives.join("；")}</div>
      {r.deliveries.length === 0 ? <div className="fc-beside"><L zh="尚未登记送达" en="Not yet recorded as delivered" /></div>
        : r.deliveries.map((d) => (
          <div key={d.id} className="fc-num" data-testid="reply-delivered">
            <span className="fc-beside">{t("送达：", "Delivered: ")}</span>{d.viaLabel} · {d.recipient} · {beijingTime(d.deliveredAt)}{d.note && ` · ${d.note}`}
            <span className="fc-beside"> · {t("登记：", "Recorded by ")}{d.recorder.displayName}</span>
          </div>
        ))}
    </div>
  );
}

export function WrittenReplies({ c, replies, onChanged }: { c: CaseDetailFragment; replies: WrittenReplyPanelFragment[]; onChanged: () => void }) {
  const { viewer } = useAuth();
  const [form, setForm] = useState<"revise" | "deliver" | null>(null);
  const [latest, ...older] = replies;
  const mayRevise = can(viewer, "CASE_SUPERVISE", c.project?.id) && c.state === "DECLINED";
  const mayDeliver = can(viewer, "CASE_FOLLOW_UP", c.project?.id);
  const done = () => {
    setForm(null);
    onChanged();
  };
  return (
    <Card size="small" style={{ marginTop: 12 }} data-testid="written-replies" title={<L zh="书面答复" en="Written reply" />}>
      <Reply r={latest} />
      {!form && (mayRevise || mayDeliver) && (
        <Space style={{ marginTop: 6 }}>
          {mayDeliver && <Button size="small" onClick={() => setForm("deliver")} data-testid="reply-delivery-open"><L zh="登记送达" en="Record delivery" /></Button>}
          {mayRevise && <Button size="small" onClick={() => setForm("revise")} data-testid="reply-revise-open"><L zh="修订" en="Revise" /></Button>}
        </Space>
      )}
      {form === "revise" && <Revise c={c} latest={latest} onDone={done} onCancel={() => setForm(null)} />}
      {form === "deliver" && <Delivered reply={latest} onDone={done} onCancel={() => setForm(null)} />}
      {older.length > 0 && (
        <details style={{ marginTop: 8 }}>
          <summary className="fc-beside"><L zh={`早先版本（${older.length}）`} en={`Earlier versions (${older.length})`} /></summary>
          {older.map((r) => <div key={r.id} style={{ marginTop: 6 }}><Reply r={r} /></div>)}
        </details>
      )}
    </Card>
  );
}
