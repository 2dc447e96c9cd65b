// 管理 Administration: users and roles, API keys, case categories, delivery (channels, log, dead
// letters), outside bodies and 12345 bridges, each tab shown only to a viewer whose permissions allow it (the API decides again).
import { Tabs, Typography } from "antd";
import { lazy, Suspense } from "react";
import { useSearchParams } from "react-router-dom";
import { can, useAuth } from "../../auth";
import type { Permission } from "../../gql/graphql";
import { L } from "../../i18n";
import { Loading, Nothing } from "../../ui/states";

const UsersTab = lazy(() => import("./UsersTab"));
const KeysTab = lazy(() => import("./KeysTab"));
const CategoriesTab = lazy(() => import("./CategoriesTab"));
const ChannelsTab = lazy(() => import("./ChannelsTab"));
const DeadLettersTab = lazy(() => import("./DeadLettersTab"));
const OutsideTab = lazy(() => import("./OutsideTab"));

const TABS: { key: string; zh: string; en: string; needs: Permission[]; Page: React.ComponentType }[] = [
  { key: "users", zh: "用户与角色", en: "Users and roles", needs: ["USER_MANAGE", "ROLE_ASSIGN"], Page: UsersTab },
  { key: "keys", zh: "接口密钥", en: "API keys", needs: ["API_KEY_MANAGE"], Page: KeysTab },
  { key: "categories", zh: "工单类别", en: "Case categories", needs: ["CATEGORY_MANAGE"], Page: CategoriesTab },
  { key: "channels", zh: "推送渠道", en: "Delivery", needs: ["CHANNEL_MANAGE"], Page: ChannelsTab },
  { key: "dead", zh: "死信", en: "Dead letters", needs: ["EVENTS_MANAGE"], Page: DeadLettersTab },
  { key: "outside", zh: "外部单位·12345", en: "Outside bodies · 12345", needs: ["OUTSIDE_BODY_MANAGE", "GOV_BRIDGE_MANAGE"], Page: OutsideTab },
];

export default function AdminPage() {
  const { viewer } = useAuth();
  const [params, setParams] = useSearchParams();
  const tabs = TABS.filter((t) => t.needs.some((p) => can(viewer, p)));
  const active = tabs.find((t) => t.key === params.get("tab")) ?? tabs[0];
  return (
    <div className="fc-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}><L zh="管理" en="Administration" /></Typography.Title>
      {!active ? <Nothing zh="您没有管理权限。" en="You hold no administration permission." /> : (
        <Tabs activeKey={active.key} onChange={(k) => setParams({ tab: k })} destroyOnHidden
              items={tabs.map((t) => ({
                key: t.key,
                label: <span data-testid={`tab-${t.key}`}><L zh={t.zh} en={t.en} /></span>,
                children: <Suspense fallback={<Loading />}><t.Page /></Suspense>,
              }))} />
      )}
    </div>
  );
}
