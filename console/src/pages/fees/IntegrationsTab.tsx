// 支付对接 (fee:manage): the project's payment integrations — an integrator (WeChat Pay / Alipay in
// its app) posts signed notifications of payments and refunds to the integration's path. The tab
// itself is the shared one (pages/integrations); this file gives it the payment kind.
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import type { FeeIntegrationFragment } from "../../gql/graphql";
import { L } from "../../i18n";
import { IntegrationsTab as SharedIntegrationsTab, type IntegrationKindView } from "../integrations/IntegrationsTab";
import { AddPaymentIntegrationDoc, PaymentIntegrationsDoc, RotateIntegrationSecretDoc, SetIntegrationActiveDoc } from "./reminderQueries";

const day = (at: string) => new Date(at).toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });

export function IntegrationsTab({ projectId }: { projectId: string }) {
  const q = useQuery(PaymentIntegrationsDoc, { projectId });
  const kind: IntegrationKindView<FeeIntegrationFragment, undefined> = {
    testIds: { root: "fee-integrations", list: "integrations", prefix: "integration" },
    actions: { add: "addPaymentIntegration", rotate: "rotatePaymentIntegrationSecret", setActive: "setPaymentIntegrationActive" },
    help: <L zh="对接方（如业主 App 的微信/支付宝收款服务商）收款后，把已签名的缴费、退款通知发到下表的接收地址；签名方法、报文格式与幂等规则见开发文档 docs/owner-app.md 第 5 节。"
             en="After collecting a payment, the integrator (the owner app's WeChat Pay / Alipay provider) posts signed payment and refund notifications to the path below; signing, the message format and idempotency are in docs/owner-app.md §5." />,
    namePlaceholder: ["名称，如 业主App微信支付", "Name, e.g. owner app WeChat Pay"],
    nameMaxLength: 60,
    empty: ["还没有支付对接", "No integration yet"],
    rotateConfirm: ["更换密钥后旧密钥立即失效，对接方须同时更新。继续？", "The old secret stops working at once; the integrator must update too. Go on?"],
    offConfirm: ["停用后该对接方的缴费通知将被拒绝。继续？", "Its notifications will be refused. Go on?"],
    lastUsed: ["最近通知", "Last used"],
    columns: { beforeActions: [
      { title: <L zh="创建" en="Created" />, dataIndex: "createdAt", width: 110, render: (at: string) => <span className="fc-num">{day(at)}</span> },
    ] },
    add: async (key, name) => check((await request(AddPaymentIntegrationDoc, { projectId, name, key })).addPaymentIntegration).secret,
    rotate: async (key, row) => check((await request(RotateIntegrationSecretDoc, { id: row.id, key })).rotatePaymentIntegrationSecret).secret,
    setActive: async (key, row, active) => check((await request(SetIntegrationActiveDoc, { id: row.id, active, key })).setPaymentIntegrationActive),
  };
  return <SharedIntegrationsTab kind={kind} q={q} rows={q.data?.paymentIntegrations ?? []} />;
}
