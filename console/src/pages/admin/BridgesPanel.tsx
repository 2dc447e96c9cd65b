// 12345 对接 A project's 12345 bridges: add one (its signing secret shown once), switch on and off,
// rotate the secret. The receiver (首问) is one of the project's members.
import { Button, Form, Input, Select, Space, Switch, Table, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import type { AdminGovBridgesQuery } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, submitForm, useAction } from "../../ui/action";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { FormDrawer } from "../../ui/FormDrawer";
import { AddGovBridgeDoc, GovBridgeActiveDoc, GovBridgesDoc, ProjectMembersDoc, RotateGovBridgeSecretDoc } from "./queries";
import { SecretDialog, type Secret } from "./SecretDialog";

type Bridge = AdminGovBridgesQuery["govBridges"][number];
interface Values { name: string; city: string; callbackUrl: string; receiverId: string }

export function BridgesPanel({ projectId }: { projectId: string }) {
  const t = useT();
  const bridges = useQuery(GovBridgesDoc, { projectId });
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<Secret | null>(null);
  const toggle = useAction("setGovBridgeActive", async (key, b: Bridge) => {
    check((await request(GovBridgeActiveDoc, { id: b.id, active: !b.active, key: `${key}:${b.id}:${!b.active}` })).setGovBridgeActive);
    await bridges.refetch();
  });
  const rotate = useAction("rotateGovBridgeSecret", async (key, b: Bridge) => {
    const made = check((await request(RotateGovBridgeSecretDoc, { id: b.id, key })).rotateGovBridgeSecret);
    setSecret({ name: b.name, value: made.secret ?? "" });
  });

  const columns: ColumnsType<Bridge> = [
    { title: <L zh="名称" en="Name" />, dataIndex: "name", width: 160 },
    { title: <L zh="城市" en="City" />, dataIndex: "city", width: 90 },
    { title: <L zh="回传地址" en="Callback" />, dataIndex: "callbackUrl", ellipsis: true },
    { title: <L zh="接收路径" en="Inbound" />, dataIndex: "inboundPath", ellipsis: true, render: (p: string) => <code>{p}</code> },
    { title: <L zh="首问" en="Receiver" />, key: "receiver", width: 100, render: (_, b) => b.receiver?.displayName ?? "—" },
    { title: <L zh="启用" en="Active" />, dataIndex: "active", width: 60,
      render: (_, b) => <Switch size="small" checked={b.active} loading={toggle.busy} onChange={() => void toggle.run(b)} aria-label={t("启用", "Active")} /> },
    { title: "", key: "act", width: 100, render: (_, b) => (
      <Button size="small" onClick={() => void rotate.run(b)} disabled={rotate.busy}><L zh="更换密钥" en="Rotate" /></Button>
    ) },
  ];

  return (
    <div style={{ marginBottom: 24 }}>
      <Space style={{ marginBottom: 8 }}>
        <Typography.Title level={5} style={{ margin: 0 }}><L zh="12345 对接" en="12345 bridges" /></Typography.Title>
        <Button type="primary" onClick={() => setAdding(true)} data-testid="new-bridge"><L zh="新增对接" en="Add a bridge" /></Button>
      </Space>
      <ErrorBanner error={bridges.error} onRetry={() => void bridges.refetch()} />
      <FormError error={toggle.error ?? rotate.error} />
      {bridges.loading && !bridges.data ? <Loading rows={3} /> : (bridges.data?.govBridges.length ?? 0) === 0 && !bridges.error
        ? <Nothing zh="本项目还没有接入 12345。" en="No 12345 bridge for this project." />
        : <Table<Bridge> rowKey="id" size="small" columns={columns} dataSource={bridges.data?.govBridges ?? []} pagination={false} />}
      {adding && <BridgeDrawer projectId={projectId} onClose={() => setAdding(false)}
                               onSaved={(s) => { setAdding(false); setSecret(s); void bridges.refetch(); }} />}
      <SecretDialog secret={secret} onClose={() => setSecret(null)} />
    </div>
  );
}

function BridgeDrawer({ projectId, onClose, onSaved }: { projectId: string; onClose: () => void; onSaved: (s: Secret | null) => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const members = useQuery(ProjectMembersDoc, { projectId });
  const add = useAction("addGovBridge", async (key, v: Values) => {
    const made = check((await request(AddGovBridgeDoc, { key, input: { projectId, ...v } })).addGovBridge);
    onSaved(made.secret ? { name: v.name, value: made.secret } : null);
  });
  const submit = () => submitForm(form, add);
  return (
    <FormDrawer open title={<L zh="新增 12345 对接" en="Add a 12345 bridge" />} busy={add.busy} error={add.error ?? members.error}
                onSubmit={() => void submit()} onClose={onClose} testId="bridge-drawer">
      <Form form={form} name="bridge" layout="vertical" disabled={add.busy}>
        <Form.Item name="name" label={t("名称", "Name")} rules={[{ required: true }]}><Input /></Form.Item>
        <Form.Item name="city" label={t("城市", "City")} rules={[{ required: true }]}><Input placeholder="北京市" /></Form.Item>
        <Form.Item name="callbackUrl" label={t("回传地址", "Callback URL")} rules={[{ required: true }]}><Input placeholder="https://" /></Form.Item>
        <Form.Item name="receiverId" label={t("首问（登记人）", "Receiver")} rules={[{ required: true }]}>
          <Select showSearch optionFilterProp="label" loading={members.loading}
                  options={(members.data?.project?.members ?? []).map((m) => ({ value: m.id, label: `${m.displayName} (${m.username})` }))} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}
