// 话务对接 (calls:manage): the project's telephony integrations — the call centre's telephony system
// posts each ended call, signed, to the integration's path (docs/webhooks.md, "Inbound: call
// records"). The tab itself is the shared one (pages/integrations); this file gives it the
// telephony kind, whose one ring's length (for 三声接听) is set when it is added.
import { InputNumber, Space } from "antd";
import { useState } from "react";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import type { CallIntegrationFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { IntegrationsTab, type IntegrationKindView } from "../integrations/IntegrationsTab";
import { AddTelephonyIntegrationDoc, RotateTelephonySecretDoc, SetTelephonyActiveDoc, TelephonyIntegrationsDoc } from "./queries";

export function CallIntegrationsTab({ projectId }: { projectId: string }) {
  const t = useT();
  const q = useQuery(TelephonyIntegrationsDoc, { projectId });
  const [ring, setRing] = useState<number>(5);
  const kind: IntegrationKindView<CallIntegrationFragment, number> = {
    testIds: { root: "call-integrations", list: "call-integration-list", prefix: "call-integration" },
    actions: { add: "addTelephonyIntegration", rotate: "rotateTelephonyIntegrationSecret", setActive: "setTelephonyIntegrationActive" },
    help: <L zh="话务系统在每通电话结束后，把已签名的通话记录发到下表的接收地址；签名方法与报文格式见开发文档 docs/webhooks.md。"
             en="After each call ends, the telephony system posts the signed call record to the path below; signing and the message format are in docs/webhooks.md." />,
    namePlaceholder: ["名称，如 呼叫中心", "Name, e.g. call centre"],
    nameMaxLength: 100,
    empty: ["还没有话务对接", "No integration yet"],
    rotateConfirm: ["更换密钥后旧密钥立即失效，话务系统须同时更新。继续？", "The old secret stops working at once; the telephony system must update too. Go on?"],
    offConfirm: ["停用后该话务系统上报的通话将被拒绝。继续？", "Its calls will be refused. Go on?"],
    lastUsed: ["最近通话", "Last call"],
    extra: {
      value: ring,
      reset: () => setRing(5),
      field: (
        <Space size={4}>
          <L zh="一声铃（秒）" en="One ring (s)" />
          <InputNumber min={1} max={60} value={ring} onChange={(v) => setRing(v ?? 5)} aria-label={t("一声铃秒数", "Ring seconds")}
                       data-testid="call-integration-ring" style={{ width: 70 }} />
        </Space>
      ),
    },
    columns: { afterName: [
      { title: <L zh="一声铃" en="Ring" />, dataIndex: "ringSeconds", width: 80, render: (s: number) => <span className="fc-num">{s} s</span> },
    ] },
    add: async (key, name, ringSeconds = 5) =>
      check((await request(AddTelephonyIntegrationDoc, { projectId, name, ringSeconds, key })).addTelephonyIntegration).secret,
    rotate: async (key, row) => check((await request(RotateTelephonySecretDoc, { id: row.id, key })).rotateTelephonyIntegrationSecret).secret,
    setActive: async (key, row, active) => check((await request(SetTelephonyActiveDoc, { id: row.id, active, key })).setTelephonyIntegrationActive),
  };
  return <IntegrationsTab kind={kind} q={q} rows={q.data?.telephonyIntegrations ?? []} />;
}
