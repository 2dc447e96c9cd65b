// 查看记录 Who revealed this resident's phone or ID number, when and why (audit:read).
import { Card, Table } from "antd";
import { useEffect } from "react";
import { useQuery } from "../../api/useQuery";
import type { ResidentRevealsQuery } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { ErrorBanner } from "../../ui/states";
import { RevealsDoc } from "./queries";

type Reveal = ResidentRevealsQuery["personalDataReveals"]["edges"][number]["node"] & { key: number };

export function Reveals({ projectId, residentId, refresh }: { projectId: string; residentId: string; refresh: number }) {
  const t = useT();
  const reveals = useQuery(RevealsDoc, { projectId, residentId });
  const { refetch } = reveals;
  const total = reveals.data?.personalDataReveals.totalCount ?? "";
  useEffect(() => {
    if (refresh > 0) void refetch();
  }, [refresh, refetch]);
  return (
    <Card size="small" style={{ marginTop: 12 }} title={<L zh={`查看记录 ${total}`} en={`Who looked ${total}`} />} data-testid="resident-reveals">
      <ErrorBanner error={reveals.error} onRetry={() => void refetch()} />
      <Table<Reveal> rowKey="key" size="small" pagination={{ pageSize: 5, hideOnSinglePage: true, size: "small" }} loading={reveals.loading && !reveals.data}
                     dataSource={reveals.data?.personalDataReveals.edges.map((e, i) => ({ ...e.node, key: i })) ?? []}
                     locale={{ emptyText: t("还没有人查看过完整号码", "Nobody has revealed a number yet") }}
                     columns={[
                       { title: <L zh="时间" en="When" />, dataIndex: "at", width: 150,
                         render: (at: string) => <span className="fc-num">{new Date(at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" })}</span> },
                       { title: <L zh="查看人" en="Who" />, key: "who", width: 110, render: (_, r) => r.actorName ?? r.actor },
                       { title: <L zh="内容" en="What" />, dataIndex: "field", width: 70, render: (f: string) => (f === "PHONE" ? t("电话", "Phone") : t("证件号", "ID no.")) },
                       { title: <L zh="原因" en="Why" />, dataIndex: "reason" },
                     ]} />
    </Card>
  );
}
