// One hazard: what and where, grade and deadline, owner, the rectification and its verification,
// the ladder's rungs. The acts follow the state and the viewer's permission on the hazard's project:
// 指派 (hazard:manage) while open or rectifying, 整改完成 (the owner or hazard:manage) while
// rectifying, 复查验证 (hazard:verify, never the owner: the API refuses it, so the button is hidden)
// once rectified, 风险接受 (hazard:verify) before it is verified. Each form its own idempotency key.
import { Button, DatePicker, Descriptions, Drawer, Form, Input, Select, Space, Tag, Timeline, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import { can, useAuth } from "../../auth";
import type { HazardRowFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, checkInto, submitForm, useAction } from "../../ui/action";
import {
  AcceptHazardRiskDoc, AssignHazardDoc, beijing, gradeColour, HazardMembersDoc, httpsLinks, RectifyHazardDoc, VerifyHazardDoc,
} from "./queries";

type Changed = (h: HazardRowFragment) => void;
interface Props { hazard: HazardRowFragment; onChanged: Changed; onClose: () => void }

function AssignForm({ hazard, onChanged }: { hazard: HazardRowFragment; onChanged: Changed }) {
  const t = useT();
  const [form] = Form.useForm<{ ownerId: string; deadline: Dayjs | null }>();
  const members = useQuery(HazardMembersDoc, { projectId: hazard.project?.id ?? "" }, !hazard.project);
  const assign = useAction("assignHazard", async (key, v: { ownerId: string; deadline: Dayjs | null }) => {
    const p = checkInto(form, (await request(AssignHazardDoc, {
      hazardId: hazard.id, ownerId: v.ownerId, deadline: v.deadline ? v.deadline.toISOString() : null, key,
    })).assignHazard);
    if (p.hazard) onChanged(p.hazard);
  });
  return (
    <Form form={form} layout="vertical" disabled={assign.busy} data-testid="hazard-assign-form"
          initialValues={{ ownerId: hazard.owner?.id, deadline: null }}>
      <Form.Item name="ownerId" label={t("责任人", "Owner")} rules={[{ required: true, message: t("请选择责任人", "Choose the owner") }]}>
        <Select showSearch optionFilterProp="label" loading={members.loading} data-testid="hazard-owner"
                options={(members.data?.project?.members ?? []).map((m) => ({ value: m.id, label: `${m.displayName} (${m.username})` }))} />
      </Form.Item>
      <Form.Item name="deadline" label={t("整改期限（不填按等级）", "Deadline (the grade's if empty)")}>
        <DatePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" data-testid="hazard-deadline"
                    disabledDate={(d) => d.isBefore(dayjs(), "day")} />
      </Form.Item>
      <Button type="primary" loading={assign.busy} onClick={() => void submitForm(form, assign)} data-testid="hazard-assign">
        <L zh="指派" en="Assign" /></Button>
      <FormError error={assign.error ?? members.error} />
    </Form>
  );
}

function RectifyForm({ hazard, onChanged }: { hazard: HazardRowFragment; onChanged: Changed }) {
  const t = useT();
  const [form] = Form.useForm<{ note: string; links: string }>();
  const rectify = useAction("recordHazardRectification", async (key, v: { note: string; links: string }) => {
    const p = checkInto(form, (await request(RectifyHazardDoc, {
      hazardId: hazard.id, note: v.note.trim(), photos: httpsLinks(v.links ?? ""), key,
    })).recordHazardRectification);
    if (p.hazard) onChanged(p.hazard);
  });
  return (
    <Form form={form} layout="vertical" disabled={rectify.busy} data-testid="hazard-rectify-form">
      <Form.Item name="note" label={t("整改情况", "What was done")}
                 rules={[{ required: true, whitespace: true, message: t("请写明整改情况", "Say what was done") }, { max: 2000 }]}>
        <Input.TextArea rows={3} maxLength={2000} data-testid="hazard-rectify-note" />
      </Form.Item>
      <Form.Item name="links" label={t("照片链接（每行一个 https://，最多 9 个）", "Photo links (one https:// per line, up to 9)")}
                 rules={[{ validator: async (_, v?: string) => {
                   const links = httpsLinks(v ?? "");
                   if (links.length > 9) throw new Error(t("最多 9 个链接", "At most nine links"));
                   if (links.some((l) => !/^https:\/\/\S+$/.test(l))) throw new Error(t("链接须以 https:// 开头", "Links must start with https://"));
                 } }]}>
        <Input.TextArea rows={2} placeholder="https://" data-testid="hazard-rectify-photos" />
      </Form.Item>
      <Button type="primary" loading={rectify.busy} onClick={() => void submitForm(form, rectify)} data-testid="hazard-rectify">
        <L zh="整改完成" en="Rectified" /></Button>
      <FormError error={rectify.error} />
    </Form>
  );
}

function VerifyForm({ hazard, onChanged }: { hazard: HazardRowFragment; onChanged: Changed }) {
  const t = useT();
  const [failing, setFailing] = useState(false);
  const [form] = Form.useForm<{ note: string; deadline: Dayjs }>();
  const verify = useAction("verifyHazard", async (key, passed: boolean, note: string | null, newDeadline: string | null) => {
    const p = checkInto(form, (await request(VerifyHazardDoc, { hazardId: hazard.id, passed, note, newDeadline, key })).verifyHazard);
    if (p.hazard) onChanged(p.hazard);
  });
  async function fail() {
    const v = await form.validateFields().catch(() => null);
    if (v) await verify.run(false, v.note.trim(), v.deadline.toISOString());
  }
  return (
    <div data-testid="hazard-verify-form">
      <Space>
        <Button type="primary" disabled={verify.busy} loading={verify.busy && !failing} data-testid="hazard-verify-pass"
                onClick={() => { setFailing(false); void verify.run(true, null, null); }}><L zh="验证通过" en="Passed" /></Button>
        <Button danger disabled={verify.busy} onClick={() => setFailing((f) => !f)} data-testid="hazard-verify-fail-open">
          <L zh="不通过" en="Failed" /></Button>
      </Space>
      {failing && (
        <Form form={form} layout="vertical" disabled={verify.busy} style={{ marginTop: 12 }} initialValues={{ deadline: dayjs().add(3, "day") }}>
          <Form.Item name="note" label={t("不通过原因", "Why it failed")}
                     rules={[{ required: true, whitespace: true, message: t("请写明原因", "Say why") }, { max: 200 }]}>
            <Input.TextArea rows={2} maxLength={200} showCount data-testid="hazard-verify-note" />
          </Form.Item>
          <Form.Item name="deadline" label={t("新的整改期限", "New deadline")} rules={[{ required: true, message: t("请选择期限", "Choose a deadline") }]}>
            <DatePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" allowClear={false} disabledDate={(d) => d.isBefore(dayjs(), "day")} />
          </Form.Item>
          <Button danger type="primary" loading={verify.busy} onClick={() => void fail()} data-testid="hazard-verify-fail">
            <L zh="退回整改" en="Send back" /></Button>
        </Form>
      )}
      <FormError error={verify.error} />
    </div>
  );
}

function AcceptForm({ hazard, onChanged }: { hazard: HazardRowFragment; onChanged: Changed }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const accept = useAction("acceptHazardRisk", async (key, v: { reason: string }) => {
    const p = checkInto(form, (await request(AcceptHazardRiskDoc, { hazardId: hazard.id, reason: v.reason.trim(), key })).acceptHazardRisk);
    if (p.hazard) onChanged(p.hazard);
  });
  if (!open) return <Button onClick={() => setOpen(true)} data-testid="hazard-accept-open"><L zh="风险接受…" en="Accept the risk…" /></Button>;
  return (
    <Form form={form} layout="vertical" disabled={accept.busy} data-testid="hazard-accept-form">
      <Form.Item name="reason" label={t("接受理由", "Why the risk is accepted")}
                 rules={[{ required: true, whitespace: true, message: t("请写明理由", "Say why") }, { max: 200 }]}>
        <Input.TextArea rows={2} maxLength={200} showCount data-testid="hazard-accept-reason" />
      </Form.Item>
      <Space>
        <Button danger type="primary" loading={accept.busy} onClick={() => void submitForm(form, accept)} data-testid="hazard-accept">
          <L zh="确认接受" en="Accept" /></Button>
        <Button onClick={() => setOpen(false)}><L zh="取消" en="Cancel" /></Button>
      </Space>
      <FormError error={accept.error} />
    </Form>
  );
}

export function HazardDrawer({ hazard, onChanged, onClose }: Props) {
  const t = useT();
  const { viewer } = useAuth();
  const projectId = hazard.project?.id ?? null;
  const me = viewer?.user?.id;
  const isOwner = !!me && hazard.owner?.id === me;
  const mayAssign = (hazard.state === "OPEN" || hazard.state === "RECTIFYING") && can(viewer, "HAZARD_MANAGE", projectId);
  const mayRectify = hazard.state === "RECTIFYING" && (isOwner || can(viewer, "HAZARD_MANAGE", projectId));
  const mayVerify = hazard.state === "RECTIFIED" && !isOwner && can(viewer, "HAZARD_VERIFY", projectId);
  const mayAccept = ["OPEN", "RECTIFYING", "RECTIFIED"].includes(hazard.state) && can(viewer, "HAZARD_VERIFY", projectId);
  const section = (zh: string, en: string) => <Typography.Title level={5} style={{ marginTop: 16 }}><L zh={zh} en={en} /></Typography.Title>;
  return (
    <Drawer open width={540} onClose={onClose} data-testid="hazard-drawer"
            title={<span><span className="fc-num">{hazard.number}</span> {hazard.title}</span>}>
      <Descriptions size="small" column={1} items={[
        { key: "state", label: t("状态", "State"), children: (
          <span><Tag data-testid="hazard-state">{hazard.stateLabel}</Tag>{hazard.overdue && <Tag color="red">{t("逾期", "Overdue")}</Tag>}
            {hazard.failedCount > 0 && <Tag color="volcano">{t(`验证退回 ${hazard.failedCount} 次`, `Failed ×${hazard.failedCount}`)}</Tag>}</span>) },
        { key: "grade", label: t("等级", "Grade"), children: <Tag color={gradeColour(hazard.grade)}>{hazard.gradeLabel}</Tag> },
        { key: "cat", label: t("类别 · 来源", "Category · source"), children: `${hazard.categoryLabel} · ${hazard.sourceLabel}` },
        { key: "project", label: t("项目", "Project"), children: hazard.project?.name ?? "—" },
        { key: "place", label: t("位置", "Place"), children: hazard.place || "—" },
        { key: "owner", label: t("责任人", "Owner"), children: <span data-testid="hazard-owner-name">{hazard.owner?.displayName ?? t("未指派", "Not assigned")}</span> },
        { key: "deadline", label: t("整改期限", "Deadline"), children: <span className="fc-num" data-testid="hazard-deadline-at">{beijing(hazard.deadline)}</span> },
        { key: "rep", label: t("上报", "Reported"), children: `${hazard.reporter.displayName} · ${beijing(hazard.createdAt)}` },
        ...(hazard.description ? [{ key: "desc", label: t("描述", "Description"), children: <span style={{ whiteSpace: "pre-wrap" }}>{hazard.description}</span> }] : []),
        ...(hazard.photos.length ? [{ key: "ph", label: t("照片", "Photos"), children: hazard.photos.map((p) => (
          <div key={p}><a href={p} target="_blank" rel="noreferrer noopener">{p}</a></div>)) }] : []),
        ...(hazard.rectificationNote ? [{ key: "rect", label: t("整改情况", "Rectification"), children: (
          <div data-testid="hazard-rectification"><div style={{ whiteSpace: "pre-wrap" }}>{hazard.rectificationNote}</div>
            {hazard.rectifiedAt && <Typography.Text type="secondary" className="fc-num">{beijing(hazard.rectifiedAt)}</Typography.Text>}
            {hazard.rectificationPhotos.map((p) => <div key={p}><a href={p} target="_blank" rel="noreferrer noopener">{p}</a></div>)}</div>) }] : []),
        ...(hazard.verifier || hazard.verifyNote ? [{ key: "ver", label: t("验证", "Verification"), children: (
          <span data-testid="hazard-verification">{hazard.verifier?.displayName ?? ""}{hazard.verifiedAt ? ` · ${beijing(hazard.verifiedAt)}` : ""}
            {hazard.verifyNote ? `：${hazard.verifyNote}` : ""}</span>) }] : []),
        ...(hazard.acceptedReason ? [{ key: "acc", label: t("风险接受理由", "Accepted because"), children: hazard.acceptedReason }] : []),
      ]} />
      {mayAssign && (<>{section(hazard.owner ? "重新指派" : "指派整改", hazard.owner ? "Reassign" : "Assign")}
        <AssignForm hazard={hazard} onChanged={onChanged} /></>)}
      {mayRectify && (<>{section("整改完成", "Rectification")}<RectifyForm hazard={hazard} onChanged={onChanged} /></>)}
      {mayVerify && (<>{section("复查验证", "Verification")}<VerifyForm hazard={hazard} onChanged={onChanged} /></>)}
      {hazard.state === "RECTIFIED" && isOwner && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 16 }} data-testid="hazard-wait-verify">
          <L zh="已整改，等待他人复查验证（责任人不能验证自己的整改）。" en="Rectified: someone other than the owner verifies it." />
        </Typography.Paragraph>)}
      {mayAccept && <div style={{ marginTop: 16 }}><AcceptForm hazard={hazard} onChanged={onChanged} /></div>}
      {hazard.escalations.length > 0 && (<>{section("逾期升级", "Escalations")}
        <Timeline items={hazard.escalations.map((e) => ({ color: "red", children: (
          <span><span className="fc-num">{beijing(e.firedAt)}</span> {e.levelLabel} · {t(`通知 ${e.recipientCount} 人`, `${e.recipientCount} notified`)}</span>) }))} /></>)}
    </Drawer>
  );
}
