// 支付对接 (fee:manage): the project's payment integrations — an integrator (WeChat Pay / Alipay in
// its app) posts signed notifications of payments and refunds to the integration's path. Adding one
// or rotating its secret shows the secret once (a warning, a copy button); 停用 refuses its
// notifications (403) until it is switched on again.
import { Alert, Button, Card, Input, Popconfirm, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import type { FeeIntegrationFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, useAction } from "../../ui/action";
import { ErrorBanner, Loading } from "../../ui/states";
import { SecretDialog, type Secret } from "../admin/SecretDialog";
import { AddPaymentIntegrationDoc, PaymentIntegrationsDoc, RotateIntegrationSecretDoc, SetIntegrationActiveDoc } from "./reminderQueries";

const when = (at: string | null | undefined) => (at ? new Date(at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" }) : "—");
const day = (at: string) => new Date(at).toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });

function RowActions({ row, onSecret, onDone }: { row: FeeIntegrationFragment; onSecret: (s: Secret) => void; onDone: () => void }) {
  const t = useT();
  const rotate = useAction("rotatePaymentIntegrationSecret", async (key) => {
    const p = check((await request(RotateIntegrationSecretDoc, { id: row.id, key })).rotatePaymentIntegrationSecret);
    if (p.secret) onSecret({ name: row.name, value: p.secret });
    onDone();
  });
  const toggle = useAction("setPaymentIntegrationActive", async (key, active: boolean) => {
    check((await request(SetIntegrationActiveDoc, { id: row.id, active, key })).setPaymentIntegrationActive);
    onDone();
  });
  const error = rotate.error ?? toggle.error;
  return (
    <div>
    <Space size={4}>
      <Popconfirm title={t("更换密钥后旧密钥立即失效，对接方须同时更新。继续？", "The old secret stops working at once; the integrator must update too. Go on?")}
                  okText={t("更换", "Rotate")} cancelText={t("取消", "Cancel")} onConfirm={() => void rotate.run()}>
        <Button size="small" loading={rotate.busy} data-testid="integration-rotate"><L zh="更换密钥" en="Rotate secret" /></Button>
      </Popconfirm>
      {row.active ? (
        <Popconfirm title={t("停用后该对接方的缴费通知将被拒绝。继续？", "Its notifications will be refused. Go on?")}
                    okText={t("停用", "Switch off")} cancelText={t("取消", "Cancel")} onConfirm={() => void toggle.run(false)}>
          <Button size="small" danger loading={toggle.busy} data-testid="integration-off"><L zh="停用" en="Switch off" /></Button>
        </Popconfirm>
      ) : <Button size="small" loading={toggle.busy} onClick={() => void toggle.run(true)} data-testid="integration-on"><L zh="启用" en="Switch on" /></Button>}
    </Space>
    {error && <div><Typography.Text type="danger">{error.message}</Typography.Text></div>}
    </div>
  );
}

export function IntegrationsTab({ projectId }: { projectId: string }) {
  const t = useT();
  const q = useQuery(PaymentIntegrationsDoc, { projectId });
  const [name, setName] = useState("");
  const [secret, setSecret] = useState<Secret | null>(null);
  const add = useAction("addPaymentIntegration", async (key, n: string) => {
    const p = check((await request(AddPaymentIntegrationDoc, { projectId, name: n, key })).addPaymentIntegration);
    if (p.secret) setSecret({ name: n, value: p.secret });
    setName("");
    void q.refetch();
  });
  return (
    <div data-testid="fee-integrations">
      <Alert type="info" showIcon style={{ marginBottom: 12 }} data-testid="integration-help"
             message={<L zh="对接方（如业主 App 的微信/支付宝收款服务商）收款后，把已签名的缴费、退款通知发到下表的接收地址；签名方法、报文格式与幂等规则见开发文档 docs/owner-app.md 第 5 节。"
                         en="After collecting a payment, the integrator (the owner app's WeChat Pay / Alipay provider) posts signed payment and refund notifications to the path below; signing, the message format and idempotency are in docs/owner-app.md §5." />} />
      <Card size="small" title={<L zh="新建对接" en="New integration" />} style={{ marginBottom: 12 }}>
        <Space wrap>
          <Input style={{ width: 240 }} maxLength={60} value={name} onChange={(e) => setName(e.target.value)} aria-label={t("对接名称", "Name")}
                 placeholder={t("名称，如 业主App微信支付", "Name, e.g. owner app WeChat Pay")} data-testid="integration-name"
                 onPressEnter={() => name.trim() && void add.run(name.trim())} />
          <Button type="primary" disabled={!name.trim()} loading={add.busy} onClick={() => void add.run(name.trim())} data-testid="integration-add">
            <L zh="添加" en="Add" /></Button>
        </Space>
        <FormError error={add.error} />
      </Card>
      <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      {q.loading && !q.data ? <Loading /> : (
        <Table<FeeIntegrationFragment> size="small" rowKey="id" pagination={false} dataSource={q.data?.paymentIntegrations ?? []}
                                       data-testid="integrations" locale={{ emptyText: t("还没有支付对接", "No integration yet") }} columns={[
          { title: <L zh="名称 · 接收地址" en="Name · posts to" />, key: "n", render: (_, r) => (
            <div>
              <div>{r.name}</div>
              <Typography.Text code copyable={{ text: `${window.location.origin}${r.inboundPath}` }} style={{ fontSize: 12 }}
                               data-testid="integration-path">{r.inboundPath}</Typography.Text>
            </div>) },
          { title: <L zh="状态" en="State" />, key: "a", width: 70, render: (_, r) => <Tag color={r.active ? "green" : undefined}>{r.active ? t("启用", "On") : t("停用", "Off")}</Tag> },
          { title: <L zh="最近通知" en="Last used" />, dataIndex: "lastUsedAt", width: 150, render: when },
          { title: <L zh="创建" en="Created" />, dataIndex: "createdAt", width: 110, render: (at: string) => <span className="fc-num">{day(at)}</span> },
          { title: "", key: "act", width: 280, render: (_, r) => <RowActions row={r} onSecret={setSecret} onDone={() => void q.refetch()} /> },
        ]} />
      )}
      <SecretDialog secret={secret} onClose={() => setSecret(null)} />
    </div>
  );
}
