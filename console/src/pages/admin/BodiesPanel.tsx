// 外部单位 A project's register of outside bodies: add (its signing secret shown once), change
// contacts, delivery and feedback days, switch on and off, rotate the secret.
import { Button, Form, Input, InputNumber, Select, Space, Switch, Table, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import type { AdminOutsideBodiesQuery, OutsideBodyDelivery, OutsideBodyKind } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, submitForm, useAction } from "../../ui/action";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { FormDrawer } from "../../ui/FormDrawer";
import { AddOutsideBodyDoc, OutsideBodiesDoc, RotateOutsideBodySecretDoc, UpdateOutsideBodyDoc } from "./queries";
import { SecretDialog, type Secret } from "./SecretDialog";

type Body = AdminOutsideBodiesQuery["outsideBodies"][number];
interface Values {
  kind: OutsideBodyKind; name: string; delivery: OutsideBodyDelivery; webhookUrl?: string; email?: string;
  contactName?: string; contactPhone?: string; address?: string; feedbackDays: number;
}
const KINDS: { value: OutsideBodyKind; label: string }[] = [
  { value: "STREET_OFFICE", label: "街道办" }, { value: "RESIDENTS_COMMITTEE", label: "居委会" }, { value: "POLICE_STATION", label: "派出所" },
  { value: "LAW_ENFORCEMENT", label: "城管执法" }, { value: "HOUSING_BUREAU", label: "住建/房管" }, { value: "UTILITY", label: "水电气热" },
  { value: "OTHER", label: "其他" },
];
const DELIVERIES: { value: OutsideBodyDelivery; label: string }[] = [
  { value: "LETTER", label: "纸质函件 Letter" }, { value: "EMAIL", label: "邮件 E-mail" }, { value: "WEBHOOK", label: "Webhook" },
];

export function BodiesPanel({ projectId }: { projectId: string }) {
  const t = useT();
  const bodies = useQuery(OutsideBodiesDoc, { projectId });
  const [editing, setEditing] = useState<Body | "new" | null>(null);
  const [secret, setSecret] = useState<Secret | null>(null);
  const toggle = useAction("updateOutsideBody", async (key, b: Body) => {
    check((await request(UpdateOutsideBodyDoc, { id: b.id, changes: { active: !b.active }, key: `${key}:${b.id}:${!b.active}` })).updateOutsideBody);
    await bodies.refetch();
  });
  // No idempotency key: a retry makes another secret, and the last one shown is in force.
  const rotate = useAction("rotateOutsideBodySecret", async (_key, b: Body) => {
    const made = check((await request(RotateOutsideBodySecretDoc, { id: b.id })).rotateOutsideBodySecret);
    setSecret({ name: b.name, value: made.secret ?? "" });
    await bodies.refetch();
  });

  const columns: ColumnsType<Body> = [
    { title: <L zh="名称" en="Name" />, dataIndex: "name", width: 160 },
    { title: <L zh="类型" en="Kind" />, dataIndex: "kindLabel", width: 110 },
    { title: <L zh="联系人" en="Contact" />, key: "contact", width: 160, render: (_, b) => [b.contactName, b.contactPhone].filter(Boolean).join(" ") || "—" },
    { title: <L zh="送达方式" en="Delivery" />, key: "delivery", render: (_, b) => <span>{b.deliveryLabel} <Typography.Text type="secondary">{b.webhookUrl ?? b.email ?? b.address ?? ""}</Typography.Text></span> },
    { title: <L zh="反馈期限" en="Days" />, dataIndex: "feedbackDays", width: 80, render: (d: number) => t(`${d} 天`, `${d} d`) },
    { title: <L zh="启用" en="Active" />, dataIndex: "active", width: 60,
      render: (_, b) => <Switch size="small" checked={b.active} loading={toggle.busy} onChange={() => void toggle.run(b)} aria-label={t("启用", "Active")} /> },
    { title: "", key: "act", width: 170, render: (_, b) => (
      <Space>
        <Button size="small" onClick={() => setEditing(b)}><L zh="修改" en="Edit" /></Button>
        <Button size="small" onClick={() => void rotate.run(b)} disabled={rotate.busy}><L zh="更换密钥" en="Rotate" /></Button>
      </Space>
    ) },
  ];

  return (
    <div style={{ marginBottom: 24 }}>
      <Space style={{ marginBottom: 8 }}>
        <Typography.Title level={5} style={{ margin: 0 }}><L zh="外部单位" en="Outside bodies" /></Typography.Title>
        <Button type="primary" onClick={() => setEditing("new")} data-testid="new-body"><L zh="新增外部单位" en="Add a body" /></Button>
      </Space>
      <ErrorBanner error={bodies.error} onRetry={() => void bodies.refetch()} />
      <FormError error={toggle.error ?? rotate.error} />
      {bodies.loading && !bodies.data ? <Loading rows={3} /> : (bodies.data?.outsideBodies.length ?? 0) === 0 && !bodies.error
        ? <Nothing zh="还没有外部单位：新增街道办、派出所等，才能转办。" en="No outside bodies: add one to refer cases." />
        : <Table<Body> rowKey="id" size="small" columns={columns} dataSource={bodies.data?.outsideBodies ?? []} pagination={false} data-testid="bodies-table" />}
      {editing && <BodyDrawer projectId={projectId} body={editing === "new" ? null : editing} onClose={() => setEditing(null)}
                              onSaved={(s) => { setEditing(null); if (s) setSecret(s); void bodies.refetch(); }} />}
      <SecretDialog secret={secret} onClose={() => setSecret(null)} />
    </div>
  );
}

function BodyDrawer({ projectId, body, onClose, onSaved }: { projectId: string; body: Body | null; onClose: () => void; onSaved: (s: Secret | null) => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const delivery = Form.useWatch("delivery", form);
  const save = useAction(body ? "updateOutsideBody" : "addOutsideBody", async (key, v: Values) => {
    const contact = { contactName: v.contactName || null, contactPhone: v.contactPhone || null, address: v.address || null,
                      webhookUrl: v.webhookUrl || null, email: v.email || null, delivery: v.delivery, feedbackDays: v.feedbackDays };
    if (body) {
      check((await request(UpdateOutsideBodyDoc, { id: body.id, changes: contact, key })).updateOutsideBody);
      onSaved(null);
    } else {
      const made = check((await request(AddOutsideBodyDoc, { key, input: { projectId, kind: v.kind, name: v.name, ...contact } })).addOutsideBody);
      onSaved(made.secret ? { name: v.name, value: made.secret } : null);
    }
  });
  const submit = () => submitForm(form, save);
  return (
    <FormDrawer open title={body ? <span><L zh="修改外部单位" en="Edit outside body" /> · {body.name}</span> : <L zh="新增外部单位" en="Add an outside body" />}
                busy={save.busy} error={save.error} onSubmit={() => void submit()} onClose={onClose} testId="body-drawer">
      <Form form={form} name="body" layout="vertical" disabled={save.busy}
            initialValues={body ? { ...body, contactName: body.contactName ?? undefined } : { kind: "STREET_OFFICE", delivery: "LETTER", feedbackDays: 5 }}>
        <Form.Item name="kind" label={t("类型", "Kind")} rules={[{ required: true }]}><Select disabled={!!body} options={KINDS} /></Form.Item>
        <Form.Item name="name" label={t("名称", "Name")} rules={[{ required: true }]}><Input disabled={!!body} /></Form.Item>
        <Form.Item name="delivery" label={t("送达方式", "Delivery")} rules={[{ required: true }]}><Select options={DELIVERIES} /></Form.Item>
        {delivery === "WEBHOOK" && <Form.Item name="webhookUrl" label="Webhook URL" rules={[{ required: true }]}><Input placeholder="https://" /></Form.Item>}
        {delivery === "EMAIL" && <Form.Item name="email" label={t("邮箱", "E-mail")} rules={[{ required: true }]}><Input /></Form.Item>}
        <Form.Item name="address" label={t("地址", "Address")} rules={[{ required: delivery === "LETTER", message: t("函件须填写地址", "A letter needs an address") }]}><Input /></Form.Item>
        <Space>
          <Form.Item name="contactName" label={t("联系人", "Contact")}><Input /></Form.Item>
          <Form.Item name="contactPhone" label={t("电话", "Phone")}><Input inputMode="tel" /></Form.Item>
        </Space>
        <Form.Item name="feedbackDays" label={t("反馈期限（天）", "Days to answer")}><InputNumber min={1} max={90} /></Form.Item>
      </Form>
    </FormDrawer>
  );
}
