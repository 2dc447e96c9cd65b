// One corrective action: where it came from (a link to the alert, inspection or case where the
// console has a page), owner, due day, the evidence, the ladder's escalations and every step so far.
// 提交整改 for the owner or improvement:raise holders on an open action; 验证通过 / 退回 (the reason
// and a new due day) for improvement:verify holders on a completed one. Each form its own key.
import { Button, DatePicker, Descriptions, Drawer, Form, Input, Space, Tag, Timeline, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { Link } from "react-router-dom";
import { request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import { can, useAuth } from "../../auth";
import type { ImprovementRowFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, checkInto, submitForm, useAction } from "../../ui/action";
import { ErrorBanner, Loading } from "../../ui/states";
import { beijing, daysLate, CompleteImprovementDoc, ImprovementDetailDoc, LEVEL_COLOUR, VerifyImprovementDoc } from "./queries";

interface Props { action: ImprovementRowFragment; onChanged: (a: ImprovementRowFragment) => void; onClose: () => void }

function SourceLink({ action }: { action: ImprovementRowFragment }) {
  const q = useQuery(ImprovementDetailDoc, { id: action.id, sourceId: action.sourceId ?? "", withSource: !!action.sourceId }, !action.sourceId);
  const s = q.data?.source;
  if (!action.sourceId) return <span>{action.sourceLabel}</span>;
  if (!s) return <span>{action.sourceLabel}{q.data && <span className="fc-beside"> （无权查看来源）</span>}</span>;
  if (s.__typename === "Alert") return <Link to={`/alerts?state=all&alert=${s.id}`} data-testid="action-source">{action.sourceLabel} · {s.title}</Link>;
  if (s.__typename === "Inspection") return (
    <Link to={`/quality?tab=inspections&inspection=${s.id}&month=${s.inspectedOn.slice(0, 7)}`} data-testid="action-source">
      {action.sourceLabel} · {s.checklistName} {s.inspectedOn}</Link>);
  if (s.__typename === "CaseReview") return (
    <Link to={`/cases/${s.caseId}`} data-testid="action-source">{action.sourceLabel} · <span className="fc-num">{s.case?.number}</span></Link>);
  return <span>{action.sourceLabel}</span>;
}

function History({ action }: { action: ImprovementRowFragment }) {
  const q = useQuery(ImprovementDetailDoc, { id: action.id, sourceId: "", withSource: false });
  const steps = q.data?.node?.__typename === "ImprovementAction" ? q.data.node.history : [];
  // Escalations and steps on one time line, oldest first: the ladder reads between the acts.
  const items = [
    ...steps.map((h) => ({ at: h.at, color: h.action.endsWith("returned") ? "red" : h.action.endsWith("verified") ? "green" : "blue",
                           text: <span>{h.label} · {h.actor.displayName}{h.late ? " · 逾期完成 late" : ""}{h.note ? `：${h.note}` : ""}</span> })),
    ...action.escalations.map((e) => ({ at: e.firedAt, color: LEVEL_COLOUR[e.level] ?? "gray",
                                        text: <span>{e.levelLabel} · {`通知 ${e.recipientCount} 人`}</span> })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <div data-testid="action-history">
      <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      {q.loading && !q.data ? <Loading rows={2} /> : (
        <Timeline items={items.map((i) => ({ color: i.color, children: <span><span className="fc-num">{beijing(i.at)}</span> {i.text}</span> }))} />
      )}
    </div>
  );
}

function httpsLinks(text: string): string[] {
  return text.split(/\s+/).map((s) => s.trim()).filter(Boolean);
}

function CompleteForm({ action, onChanged }: { action: ImprovementRowFragment; onChanged: Props["onChanged"] }) {
  const t = useT();
  const [form] = Form.useForm<{ note: string; links: string }>();
  const complete = useAction("completeImprovementAction", async (key, v: { note: string; links: string }) => {
    const payload = checkInto(form, (await request(CompleteImprovementDoc, {
      actionId: action.id, note: v.note.trim(), files: httpsLinks(v.links ?? ""), key,
    })).completeImprovementAction);
    if (payload.action) onChanged(payload.action);
  });
  return (
    <Form form={form} layout="vertical" disabled={complete.busy} data-testid="complete-form">
      <Form.Item name="note" label={t("整改情况", "What was done")}
                 rules={[{ required: true, whitespace: true, message: t("请写明整改情况", "Say what was done") }, { max: 2000 }]}>
        <Input.TextArea rows={3} maxLength={2000} data-testid="complete-note" />
      </Form.Item>
      <Form.Item name="links" label={t("证据链接（每行一个 https://，最多 9 个）", "Evidence links (one https:// per line, up to 9)")}
                 rules={[{ validator: async (_, v?: string) => {
                   const links = httpsLinks(v ?? "");
                   if (links.length > 9) throw new Error(t("最多 9 个链接", "At most nine links"));
                   if (links.some((l) => !/^https:\/\/\S+$/.test(l))) throw new Error(t("链接须以 https:// 开头", "Links must start with https://"));
                 } }]}>
        <Input.TextArea rows={2} placeholder="https://" data-testid="complete-links" />
      </Form.Item>
      <Button type="primary" loading={complete.busy} onClick={() => void submitForm(form, complete)} data-testid="complete-submit">
        <L zh="提交整改" en="Submit as done" /></Button>
      <FormError error={complete.error} />
    </Form>
  );
}

function VerifyForm({ action, onChanged }: { action: ImprovementRowFragment; onChanged: Props["onChanged"] }) {
  const t = useT();
  const [returning, setReturning] = useState(false);
  const [form] = Form.useForm<{ reason: string; dueOn: Dayjs }>();
  const verify = useAction("verifyImprovementAction", async (key, passed: boolean, reason: string | null, dueOn: string | null) => {
    const payload = checkInto(form, (await request(VerifyImprovementDoc, { actionId: action.id, passed, note: reason, newDueOn: dueOn, key }))
      .verifyImprovementAction);
    if (payload.action) onChanged(payload.action);
  });
  async function sendBack() {
    const v = await form.validateFields().catch(() => null);
    if (v) await verify.run(false, v.reason.trim(), v.dueOn.format("YYYY-MM-DD"));
  }
  return (
    <div data-testid="verify-form">
      <Space>
        <Button type="primary" loading={verify.busy && !returning} disabled={verify.busy} data-testid="verify-pass"
                onClick={() => { setReturning(false); void verify.run(true, null, null); }}><L zh="验证通过" en="Verified" /></Button>
        <Button danger disabled={verify.busy} onClick={() => setReturning((r) => !r)} data-testid="verify-return-open">
          <L zh="退回" en="Return" /></Button>
      </Space>
      {returning && (
        <Form form={form} layout="vertical" disabled={verify.busy} style={{ marginTop: 12 }} initialValues={{ dueOn: dayjs().add(7, "day") }}>
          <Form.Item name="reason" label={t("退回原因", "Why it is returned")}
                     rules={[{ required: true, whitespace: true, message: t("请写明退回原因", "Say why") }, { max: 200 }]}>
            <Input.TextArea rows={2} maxLength={200} showCount data-testid="return-reason" />
          </Form.Item>
          <Form.Item name="dueOn" label={t("新的完成期限", "New due day")} rules={[{ required: true, message: t("请选择新的期限", "Choose a day") }]}>
            <DatePicker allowClear={false} data-testid="return-due" disabledDate={(d) => d.isBefore(dayjs(), "day")} />
          </Form.Item>
          <Button danger type="primary" loading={verify.busy} onClick={() => void sendBack()} data-testid="return-submit">
            <L zh="确认退回" en="Return it" /></Button>
        </Form>
      )}
      <FormError error={verify.error} />
    </div>
  );
}

export function ActionDrawer({ action, onChanged, onClose }: Props) {
  const t = useT();
  const { viewer } = useAuth();
  const projectId = action.project?.id ?? null;
  const mayComplete = action.state === "OPEN" && (action.owner?.id === viewer?.user?.id || can(viewer, "IMPROVEMENT_RAISE", projectId));
  const mayVerify = action.state === "DONE" && can(viewer, "IMPROVEMENT_VERIFY", projectId);
  return (
    <Drawer open width={520} onClose={onClose} data-testid="action-drawer"
            title={<span>{action.overdue && <Tag color="red">{t("逾期", "Overdue")}</Tag>}{action.title}</span>}>
      <Descriptions size="small" column={1} items={[
        { key: "state", label: t("状态", "State"), children: <Tag data-testid="action-state">{action.stateLabel}</Tag> },
        { key: "src", label: t("来源", "Source"), children: <SourceLink action={action} /> },
        { key: "project", label: t("项目", "Project"), children: action.project?.name ?? "—" },
        { key: "owner", label: t("责任人", "Owner"), children: <span data-testid="action-owner">{action.owner?.displayName ?? "—"}</span> },
        { key: "due", label: t("完成期限", "Due"), children: <span className="fc-num" data-testid="action-due">{action.dueOn}
            {action.overdue && <Tag color="red" style={{ marginLeft: 6 }}>{t(`逾期 ${daysLate(action.dueOn)} 天`, `${daysLate(action.dueOn)} d late`)}</Tag>}</span> },
        { key: "raised", label: t("提出", "Raised"), children: `${action.raiser.displayName} · ${beijing(action.createdAt)}` },
        ...(action.description ? [{ key: "desc", label: t("整改要求", "Expected"), children: <span style={{ whiteSpace: "pre-wrap" }}>{action.description}</span> }] : []),
        ...(action.returnReason ? [{ key: "ret", label: t(`退回原因（第 ${action.returnedCount} 次）`, `Returned (${action.returnedCount})`),
                                     children: <Typography.Text type={action.state === "OPEN" ? "danger" : "secondary"} data-testid="action-return-reason">{action.returnReason}</Typography.Text> }] : []),
        ...(action.evidenceNote ? [{ key: "ev", label: t("整改情况", "What was done"), children: (
          <div data-testid="action-evidence">
            <div style={{ whiteSpace: "pre-wrap" }}>{action.evidenceNote}</div>
            {action.evidenceFiles.map((f) => <div key={f}><a href={f} target="_blank" rel="noreferrer noopener">{f}</a></div>)}
          </div>) }] : []),
      ]} />
      {mayComplete && (<><Typography.Title level={5}><L zh="提交整改" en="Submit as done" /></Typography.Title>
        <CompleteForm action={action} onChanged={onChanged} /></>)}
      {mayVerify && (<><Typography.Title level={5}><L zh="总部验证" en="Verification" /></Typography.Title>
        <VerifyForm action={action} onChanged={onChanged} /></>)}
      {action.state === "DONE" && !mayVerify && (
        <Typography.Text type="secondary"><L zh="已提交，等待总部验证。" en="Done: waiting for headquarters to verify." /></Typography.Text>)}
      <Typography.Title level={5} style={{ marginTop: 16 }}><L zh="整改记录" en="History" /></Typography.Title>
      <History key={`${action.id}:${action.state}:${action.returnedCount}`} action={action} />
    </Drawer>
  );
}
