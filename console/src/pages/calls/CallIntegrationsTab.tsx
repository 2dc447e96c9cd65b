// 话务对接 (calls:manage): the project's telephony integrations — the call centre's telephony system
// posts each ended call, signed, to the integration's path (docs/webhooks.md, "Inbound: call
// records"). Adding one or rotating its secret shows the secret once; 停用 refuses its calls (403)
// until it is switched on again. One ring's length (for 三声接听) is set when it is added.
import { Alert, Button, Card, Input, InputNumber, Popconfirm, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import type { CallIntegrationFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, useAction } from "../../ui/action";
import { ErrorBanner, Loading } from "../../ui/states";
import { SecretDialog, type Secret } from "../admin/SecretDialog";
import { AddTelephonyIntegrationDoc, RotateTelephonySecretDoc, SetTelephonyActiveDoc, TelephonyIntegrationsDoc } from "./queries";

const when = (at: string | null | undefined) => (at ? new Date(at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" }) : "—");

function RowActions({ row, onSecret, onDone }: { row: CallIntegrationFragment; onSecret: (s: Secret) => void; onDone: () => void }) {
  const t = useT();
  const rotate = useAction("rotateTelephonyIntegrationSecret", async (key) => {
    const p = check((await request(RotateTelephonySecretDoc, { id: row.id, key })).rotateTelephonyIntegrationSecret);
    if (p.secret) onSecret({ name: row.name, value: p.secret });
    onDone();
  });
  const toggle = useAction("setTelephonyIntegrationActive", async (key, active: boolean) => {
    check((await request(SetTelephonyActiveDoc, { id: row.id, active, key })).setTelephonyIntegrationActive);
    onDone();
  });
  const error = rotate.error ?? toggle.error;
  return (
    <div>
      <Space size={4}>
        <Popconfirm title={t("更换密钥后旧密钥立即失效，话务系统须同时更新。继续？", "The old secret stops working at once; the telephony system must update too. Go on?")}
                    okText={t("更换", "Rotate")} cancelText={t("取消", "Cancel")} onConfirm={() => void rotate.run()}>
          <Button size="small" loading={rotate.busy} data-testid="call-integration-rotate"><L zh="更换密钥" en="Rotate secret" /></Button>
        </Popconfirm>
        {row.active ? (
          <Popconfirm title={t("停用后该话务系统上报的通话将被拒绝。继续？", "Its calls will be refused. Go on?")}
                      okText={t("停用", "Switch off")} cancelText={t("取消", "Cancel")} onConfirm={() => void toggle.run(false)}>
            <Button size="small" danger loading={toggle.busy} data-testid="call-integration-off"><L zh="停用" en="Switch off" /></Button>
          </Popconfirm>
        ) : <Button size="small" loading={toggle.busy} onClick={() => void toggle.run(true)} data-testid="call-integration-on"><L zh="启用" en="Switch on" /></Button>}
      </Space>
      {error && <div><Typography.Text type="danger">{error.message}</Typography.Text></div>}
    </div>
  );
}

export function CallIntegrationsTab({ projectId }: { projectId: string }) {
  const t = useT();
  const q = useQuery(TelephonyIntegrationsDoc, { projectId });
  const [name, setName] = useState("");
  const [ring, setRing] = useState<number>(5);
  const [secret, setSecret] = useState<Secret | null>(null);
  const add = useAction("addTelephonyIntegration", async (key, n: string, ringSeconds: number) => {
    const p = check((await request(AddTelephonyIntegrationDoc, { projectId, name: n, ringSeconds, key })).addTelephonyIntegration);
    if (p.secret) setSecret({ name: n, value: p.secret });
    setName("");
    setRing(5);
    void q.refetch();
  });
  const submit = () => name.trim() && void add.run(name.trim(), ring);
  return (
    <div data-testid="call-integrations">
      <Alert type="info" showIcon style={{ marginBottom: 12 }}
             message={<L zh="话务系统在每通电话结束后，把已签名的通话记录发到下表的接收地址；签名方法与报文格式见开发文档 docs/webhooks.md。"
                         en="After each call ends, the telephony system posts the signed call record to the path below; signing and the message format are in docs/webhooks.md." />} />
      <Card size="small" title={<L zh="新建对接" en="New integration" />} style={{ marginBottom: 12 }}>
        <Space wrap>
          <Input style={{ width: 240 }} maxLength={100} value={name} onChange={(e) => setName(e.target.value)} aria-label={t("对接名称", "Name")}
                 placeholder={t("名称，如 呼叫中心", "Name, e.g. call centre")} data-testid="call-integration-name" onPressEnter={submit} />
          <Space size={4}>
            <L zh="一声铃（秒）" en="One ring (s)" />
            <InputNumber min={1} max={60} value={ring} onChange={(v) => setRing(v ?? 5)} aria-label={t("一声铃秒数", "Ring seconds")}
                         data-testid="call-integration-ring" style={{ width: 70 }} />
          </Space>
          <Button type="primary" disabled={!name.trim()} loading={add.busy} onClick={submit} data-testid="call-integration-add">
            <L zh="添加" en="Add" /></Button>
        </Space>
        <FormError error={add.error} />
      </Card>
      <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      {q.loading && !q.data ? <Loading /> : (
        <Table<CallIntegrationFragment> size="small" rowKey="id" pagination={false} dataSource={q.data?.telephonyIntegrations ?? []}
                                        data-testid="call-integration-list" locale={{ emptyText: t("还没有话务对接", "No integration yet") }} columns={[
          { title: <L zh="名称 · 接收地址" en="Name · posts to" />, key: "n", render: (_, r) => (
            <div>
              <div>{r.name}</div>
              <Typography.Text code copyable={{ text: `${window.location.origin}${r.inboundPath}` }} style={{ fontSize: 12 }}>{r.inboundPath}</Typography.Text>
            </div>) },
          { title: <L zh="一声铃" en="Ring" />, dataIndex: "ringSeconds", width: 80, render: (s: number) => <span className="fc-num">{s} s</span> },
          { title: <L zh="状态" en="State" />, key: "a", width: 70,
            render: (_, r) => <Tag color={r.active ? "green" : undefined} data-testid="call-integration-state">{r.active ? t("启用", "On") : t("停用", "Off")}</Tag> },
          { title: <L zh="最近通话" en="Last call" />, dataIndex: "lastUsedAt", width: 160, render: when },
          { title: "", key: "act", width: 240, render: (_, r) => <RowActions row={r} onSecret={setSecret} onDone={() => void q.refetch()} /> },
        ]} />
      )}
      <SecretDialog secret={secret} onClose={() => setSecret(null)} />
    </div>
  );
}
