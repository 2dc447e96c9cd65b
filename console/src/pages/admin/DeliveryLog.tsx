// 推送记录 Every delivery (channels, outside bodies, 12345 bridges), newest first, filtered by
// purpose, status, topic and project; a sent one can be sent once more (same delivery id).
import { Button, Input, Select, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import type { DeliveryLogQuery, DeliveryPurpose } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, useAction } from "../../ui/action";
import { ProjectName } from "../../ui/ProjectName";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { AdminProjectsDoc, DeliveryLogDoc, ReplayDoc } from "./queries";

type Delivery = DeliveryLogQuery["deliveryLog"][number];
const PURPOSES: { value: DeliveryPurpose; label: string }[] = [
  { value: "CHANNEL", label: "渠道 Channel" }, { value: "REFERRAL", label: "转办 Referral" }, { value: "GOV_CALLBACK", label: "12345 回传" },
];
const STATUS: Record<string, string> = { pending: "待发送", sent: "已发送", printed: "已打印" };
const when = (at: string | null) => at ? new Date(at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", dateStyle: "short", timeStyle: "short" }) : "—";

export function DeliveryLog() {
  const t = useT();
  const [purpose, setPurpose] = useState<DeliveryPurpose | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [topic, setTopic] = useState<string | null>(null);
  const [projectId, setProjectId] = useState<string | null>(null);
  const log = useQuery(DeliveryLogDoc, { purpose, status, topic, projectId });
  const projects = useQuery(AdminProjectsDoc, {});
  const replay = useAction("replayDelivery", async (key, id: string) => {
    check((await request(ReplayDoc, { id, key: `${key}:${id}` })).replayDelivery);
    await log.refetch();
  });

  const columns: ColumnsType<Delivery> = [
    { title: <L zh="时间" en="Created" />, dataIndex: "createdAt", width: 120, render: when },
    { title: <L zh="用途" en="Purpose" />, dataIndex: "purpose", width: 100, render: (p: string) => PURPOSES.find((x) => x.value === p)?.label ?? p },
    { title: <L zh="方式" en="Kind" />, dataIndex: "kind", width: 80 },
    { title: <L zh="事件" en="Topic" />, dataIndex: "topic", width: 130 },
    { title: <L zh="标题" en="Title" />, dataIndex: "title", ellipsis: true },
    { title: <L zh="项目" en="Project" />, dataIndex: "projectId", width: 100, render: (id: string | null) => id ? <ProjectName id={id} /> : "—" },
    { title: <L zh="状态" en="Status" />, key: "status", width: 150,
      render: (_, d) => <span><Tag>{STATUS[d.status] ?? d.status}</Tag><span className="fc-num">{d.attempts}次{d.replays ? ` · 重发${d.replays}` : ""}</span></span> },
    { title: <L zh="最近错误" en="Last error" />, dataIndex: "lastError", ellipsis: true, render: (e: string | null) => e ?? "—" },
    { title: "", key: "act", width: 70, render: (_, d) => d.status === "sent" && (
      <Button size="small" onClick={() => void replay.run(d.id)} disabled={replay.busy}><L zh="重发" en="Replay" /></Button>
    ) },
  ];

  return (
    <div>
      <Space wrap style={{ marginBottom: 8 }}>
        <Select allowClear style={{ width: 140 }} placeholder={t("用途", "Purpose")} value={purpose} options={PURPOSES} onChange={(v) => setPurpose(v ?? null)} />
        <Select allowClear style={{ width: 120 }} placeholder={t("状态", "Status")} value={status} onChange={(v) => setStatus(v ?? null)}
                options={Object.entries(STATUS).map(([value, label]) => ({ value, label }))} />
        <Input.Search allowClear style={{ width: 180 }} placeholder={t("事件，如 case.escalated", "Topic")} onSearch={(v) => setTopic(v || null)} />
        <Select allowClear style={{ width: 160 }} placeholder={t("项目", "Project")} value={projectId} onChange={(v) => setProjectId(v ?? null)}
                options={(projects.data?.projects.edges ?? []).map((e) => ({ value: e.node.id, label: e.node.name }))} />
        <Typography.Text type="secondary"><L zh="最近 100 条" en="Latest 100" /></Typography.Text>
      </Space>
      <ErrorBanner error={log.error} onRetry={() => void log.refetch()} />
      <FormError error={replay.error} />
      {log.loading && !log.data ? <Loading rows={3} /> : (log.data?.deliveryLog.length ?? 0) === 0 && !log.error
        ? <Nothing zh="没有符合条件的推送记录。" en="No deliveries match." />
        : <Table<Delivery> rowKey="id" size="small" columns={columns} dataSource={log.data?.deliveryLog ?? []} pagination={{ pageSize: 20, hideOnSinglePage: true }} />}
    </div>
  );
}
