// 已读 / 送达 and 未读名单: the flats a notice reached that nobody has read it in, by building,
// entrance, floor and number — whom to phone or visit, App users marked (they can still be nudged
// in the app). Right after approval the fan-out is still running: the counts are asked again every
// two seconds until the recipients are in place.
import { Button, Select, Space, Statistic, Table, Tag, Typography } from "antd";
import { DownloadOutlined } from "@ant-design/icons";
import { useEffect, useState } from "react";
import { useQuery } from "../../api/useQuery";
import type { NoticeDetailFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { ErrorBanner } from "../../ui/states";
import { NoticeBuildingsDoc, NoticeUnreadDoc } from "./queries";

export function UnreadList({ notice, onExport, mayExport, onCounts }: {
  notice: NoticeDetailFragment; onExport: () => void; mayExport: boolean; onCounts: (recipients: number | null, read: number) => void;
}) {
  const t = useT();
  const [buildingId, setBuildingId] = useState<string | null>(null);
  const [after, setAfter] = useState<string | null>(null);
  const q = useQuery(NoticeUnreadDoc, { id: notice.id, buildingId, after });
  const node = q.data?.node;
  const found = node && "unreadUnits" in node ? node : null;
  const pending = !!found && found.recipientCount === null;
  const { refetch } = q;
  const recipients = found?.recipientCount ?? null;
  const read = found?.readUnitCount;
  useEffect(() => {
    if (read !== undefined) onCounts(recipients, read);
  }, [recipients, read]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (!pending) return;
    const timer = window.setInterval(() => void refetch(), 2000);
    return () => window.clearInterval(timer);
  }, [pending, refetch]);

  const rows = found?.unreadUnits.edges.map((e) => e.node) ?? [];
  return (
    <div style={{ marginTop: 12 }} data-testid="notice-reads">
      <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      <Space size="large" style={{ marginBottom: 8 }}>
        <Statistic title={t("已读（户）", "Read (flats)")} value={found?.readUnitCount ?? "—"} data-testid="notice-read-count" />
        <Statistic title={t("送达（户）", "Reached (flats)")} value={found?.recipientCount ?? t("发送中", "Sending")} data-testid="notice-recipient-count" />
        <Statistic title={t("未读（户）", "Unread (flats)")} value={found && !pending ? found.unreadUnits.totalCount : "—"} data-testid="notice-unread-count" />
      </Space>
      <Space wrap style={{ marginBottom: 8 }}>
        <Typography.Text strong><L zh="未读名单" en="Not read yet" /></Typography.Text>
        <BuildingFilter projectId={notice.project?.id ?? null} value={buildingId} onChange={(b) => { setBuildingId(b); setAfter(null); }} />
        {mayExport && <Button icon={<DownloadOutlined />} onClick={onExport} data-testid="notice-unread-export"><L zh="导出未读名单" en="Export" /></Button>}
      </Space>
      <Table size="small" rowKey="id" dataSource={rows} pagination={false} loading={q.loading && !q.data} data-testid="notice-unread"
             locale={{ emptyText: pending ? t("正在送达…", "Being delivered…") : t("全部已读", "Everyone has read it") }}
             columns={[
               { title: <L zh="房屋" en="Flat" />, dataIndex: "label" },
               { title: <L zh="使用App" en="App user" />, key: "app", width: 110,
                 render: (_, u) => (u.appUser ? <Tag>{t("使用App", "App")}</Tag> : <Typography.Text type="secondary">{t("未使用", "No")}</Typography.Text>) },
             ]} />
      {found?.unreadUnits.pageInfo.hasNextPage && (
        <Button style={{ marginTop: 4 }} onClick={() => setAfter(found.unreadUnits.pageInfo.endCursor ?? null)}><L zh="下一页" en="Next page" /></Button>
      )}
      {after && <Button style={{ marginTop: 4, marginLeft: 4 }} onClick={() => setAfter(null)}><L zh="回到第一页" en="First page" /></Button>}
      {!!found?.deliveries.length && (
        <div style={{ marginTop: 8 }}>
          <Typography.Text strong><L zh="渠道发送" en="Channel deliveries" /></Typography.Text>
          {found.deliveries.map((d, i) => (
            <div key={i} className="fc-num">{d.channelName} · {d.topic} · {d.status} · {d.attempts}</div>
          ))}
        </div>
      )}
    </div>
  );
}

function BuildingFilter({ projectId, value, onChange }: { projectId: string | null; value: string | null; onChange: (b: string | null) => void }) {
  const t = useT();
  const buildings = useQuery(NoticeBuildingsDoc, { projectId: projectId ?? "" }, !projectId);
  return <Select allowClear style={{ width: 140 }} value={value ?? undefined} placeholder={t("全部楼栋", "All buildings")}
                 aria-label={t("楼栋", "Building")} onChange={(v: string | undefined) => onChange(v ?? null)}
                 options={(buildings.data?.buildings.edges ?? []).map((e) => ({ value: e.node.id, label: e.node.name }))} />;
}
