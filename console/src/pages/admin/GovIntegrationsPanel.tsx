// 12345 热线对接 (gov_bridge:manage): a project's 12345 bridges, shown as the other signed
// integrations are (the shared tab of pages/integrations, as 支付对接 and 话务对接): add one (its
// signing secret shown once), switch it off and on, rotate the secret. Its own fields: the city whose
// deadlines its orders take, the callback address our answers go back to, and the receiver (首问),
// one of the project's members.
import { Input, Select, Typography } from "antd";
import { useState } from "react";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import type { GovIntegrationFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { IntegrationsTab, type IntegrationKindView } from "../integrations/IntegrationsTab";
import {
  AddGovIntegrationDoc, GovIntegrationsDoc, ProjectMembersDoc, RotateGovIntegrationSecretDoc, SetGovIntegrationActiveDoc,
} from "./queries";

interface Own { city: string; callbackUrl: string; receiverId: string | undefined }
const NONE: Own = { city: "", callbackUrl: "", receiverId: undefined };

export function GovIntegrationsPanel({ projectId }: { projectId: string }) {
  const t = useT();
  const q = useQuery(GovIntegrationsDoc, { projectId });
  const members = useQuery(ProjectMembersDoc, { projectId });
  const [own, setOwn] = useState<Own>(NONE);
  const kind: IntegrationKindView<GovIntegrationFragment, Own> = {
    testIds: { root: "gov-integrations", list: "gov-integration-list", prefix: "gov-integration" },
    actions: { add: "addGovIntegration", rotate: "rotateGovIntegrationSecret", setActive: "setGovIntegrationActive" },
    help: <L zh="12345 热线平台把已签名的工单与评价发到下表的接收地址，我们的回复签名后发回回传地址；报文格式见开发文档 docs/gov-12345.md。"
             en="The 12345 platform posts signed orders and evaluations to the path below; our answers go back signed to the callback address. The messages are in docs/gov-12345.md." />,
    namePlaceholder: ["名称，如 北京12345", "Name, e.g. Beijing 12345"],
    nameMaxLength: 100,
    empty: ["本项目还没有接入 12345", "No 12345 bridge for this project"],
    rotateConfirm: ["更换密钥后旧密钥立即失效（双向），12345 平台须同时更新。继续？", "The old secret stops working at once, both ways; the 12345 platform must update too. Go on?"],
    offConfirm: ["停用后 12345 平台发来的工单将被拒绝（欠的回复仍会发回）。继续？", "Its orders will be refused (answers owed still go back). Go on?"],
    lastUsed: ["最近工单", "Last order"],
    extra: {
      value: own,
      reset: () => setOwn(NONE),
      field: (
        <>
          <Input style={{ width: 110 }} maxLength={50} value={own.city} placeholder={t("城市 北京市", "City")} aria-label={t("城市", "City")}
                 onChange={(e) => setOwn({ ...own, city: e.target.value })} data-testid="gov-integration-city" />
          <Input style={{ width: 240 }} maxLength={2000} value={own.callbackUrl} placeholder={t("回传地址 https://", "Callback https://")}
                 aria-label={t("回传地址", "Callback URL")} onChange={(e) => setOwn({ ...own, callbackUrl: e.target.value })}
                 data-testid="gov-integration-callback" />
          <Select style={{ width: 180 }} showSearch optionFilterProp="label" loading={members.loading} value={own.receiverId}
                  placeholder={t("首问（登记人）", "Receiver")} aria-label={t("首问（登记人）", "Receiver")}
                  onChange={(v: string) => setOwn({ ...own, receiverId: v })} data-testid="gov-integration-receiver"
                  options={(members.data?.project?.members ?? []).map((m) => ({ value: m.id, label: `${m.displayName} (${m.username})` }))} />
        </>
      ),
    },
    columns: { afterName: [
      { title: <L zh="城市" en="City" />, dataIndex: "city", width: 80 },
      { title: <L zh="回传地址" en="Callback" />, dataIndex: "callbackUrl", ellipsis: true,
        render: (u: string) => <Typography.Text style={{ fontSize: 12 }}>{u}</Typography.Text> },
      { title: <L zh="首问" en="Receiver" />, key: "receiver", width: 90, render: (_, r) => r.receiver?.displayName ?? "—" },
    ] },
    add: async (key, name, o = NONE) =>
      check((await request(AddGovIntegrationDoc, { projectId, name, city: o.city, callbackUrl: o.callbackUrl, receiverId: o.receiverId ?? "", key }))
        .addGovIntegration).secret,
    rotate: async (key, row) => check((await request(RotateGovIntegrationSecretDoc, { id: row.id, key })).rotateGovIntegrationSecret).secret,
    setActive: async (key, row, active) => check((await request(SetGovIntegrationActiveDoc, { id: row.id, active, key })).setGovIntegrationActive),
  };
  return (
    <div style={{ marginBottom: 24 }}>
      <Typography.Title level={5}><L zh="12345 热线对接" en="12345 hotline" /></Typography.Title>
      <IntegrationsTab kind={kind} q={q} rows={q.data?.govIntegrations ?? []} />
    </div>
  );
}
