// 12345 工单 Government hotline orders with their two deadlines (签收 the first answer back, 办结
// the result) and the month's three rates above; a row opens the order to answer it.
import { Card, Segmented, Statistic, Table, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useEffect, useState, type HTMLAttributes } from "react";
import { Link } from "react-router-dom";
import { useQuery } from "../../api/useQuery";
import type { GovFiguresFragment, GovOrderRowFragment, GovOrderStatus } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { GovDeadlines } from "./deadlines";
import { GovOrderDetail } from "./GovOrderDetail";
import { GovOrdersDoc } from "./queries";
import type { TabProps } from "./ReferralsPage";

const STATUSES: { value: GovOrderStatus | "ALL"; zh: string; en: string }[] = [
  { value: "ALL", zh: "全部", en: "All" },
  { value: "RECEIVED", zh: "已接收", en: "Received" },
  { value: "RESPONDED", zh: "已签收", en: "Responded" },
  { value: "ANSWERED", zh: "已办结", en: "Answered" },
  { value: "RETURNED", zh: "已退单", en: "Returned" },
];

const pct = (v: number | null | undefined) => (v == null ? "—" : `${(v * 100).toFixed(1)}%`);

function Rates({ month, f }: { month: string; f: GovFiguresFragment }) {
  const t = useT();
  return (
    <div className="fc-kpis" data-testid="gov-rates">
      <Card size="small"><Statistic title={t(`${month.slice(0, 7)} 受理`, `Received ${month.slice(0, 7)}`)} value={f.received} /></Card>
      <Card size="small"><Statistic title={t("响应率", "Response")} value={pct(f.responseRate)} suffix={<span className="fc-beside">{f.respondedOnTime}/{f.responseDue}</span>} /></Card>
      <Card size="small"><Statistic title={t("解决率", "Resolution")} value={pct(f.resolutionRate)} suffix={<span className="fc-beside">{f.resolvedOnTime}/{f.resolveDue}</span>} /></Card>
      <Card size="small"><Statistic title={t("满意率", "Satisfaction")} value={pct(f.satisfactionRate)} suffix={<span className="fc-beside">{f.satisfied}/{f.evaluated}</span>} /></Card>
      <Card size="small"><Statistic title={t("退回", "Returned")} value={f.returned} /></Card>
    </div>
  );
}

function columns(): ColumnsType<GovOrderRowFragment> {
  return [
    { title: <L zh="12345 工单号" en="Order" />, key: "number", width: 200, render: (_, o) => (
      <span><span className="fc-num">{o.orderNumber}</span><br />{o.case
        ? <Link to={`/cases/${o.case.id}`} onClick={(e) => e.stopPropagation()} className="fc-num fc-beside">{o.case.number} · {o.case.stateLabel}</Link> : null}</span>) },
    { title: <L zh="紧急程度" en="Urgency" />, key: "urgency", width: 130,
      render: (_, o) => <Tag style={{ whiteSpace: "normal" }} title={o.urgencyLabel}>{o.urgencyLabel.split(" ")[0]}</Tag> },
    { title: <L zh="诉求" en="Request" />, key: "content", ellipsis: true,
      render: (_, o) => <span title={o.content}>{o.content}<br /><span className="fc-beside">{o.category}{o.address ? ` · ${o.address}` : ""}</span></span> },
    { title: <L zh="状态" en="Status" />, key: "status", width: 140, render: (_, o) => <Tag data-testid="gov-status">{o.statusLabel}</Tag> },
    { title: <L zh="时限" en="Deadlines" />, key: "due", width: 180, render: (_, o) => <GovDeadlines o={o} /> },
  ];
}

export function GovOrdersTab({ projectId, tick, status, onStatus }: TabProps) {
  const t = useT();
  const chosen = STATUSES.find((s) => s.value === status)?.value ?? "ALL";
  const list = useQuery(GovOrdersDoc, { projectId, status: chosen === "ALL" ? null : chosen });
  const [rows, setRows] = useState<GovOrderRowFragment[]>([]);
  const [openId, setOpenId] = useState<string | null>(null);
  const { refetch } = list;

  useEffect(() => setRows(list.data?.govOrders ?? []), [list.data]);
  useEffect(() => {
    if (tick) void refetch();
  }, [tick, refetch]);

  return (
    <div data-testid="gov-tab">
      {list.data && <Rates month={list.data.govOrderRates.month} f={list.data.govOrderRates.total} />}
      <Segmented value={chosen} onChange={(v) => onStatus(v === "ALL" ? null : String(v))} style={{ marginBottom: 8 }}
                 options={STATUSES.map((s) => ({ value: s.value, label: t(s.zh, s.en) }))} />
      <ErrorBanner error={list.error} onRetry={() => void refetch()} />
      {list.loading && !list.data ? <Loading /> : rows.length === 0 && !list.error ? (
        chosen === "ALL" ? <Nothing zh="没有 12345 工单：项目接入 12345 对接后，工单会自动出现在这里" en="No 12345 orders: they arrive once a project has a bridge" />
          : <Nothing zh="没有此状态的 12345 工单：选择「全部」查看其余" en="None in this status: choose All for the rest" />
      ) : (
        <Table<GovOrderRowFragment> rowKey="id" size="small" pagination={false} dataSource={rows} columns={columns()}
                                    rowClassName={(o) => (o.id === openId ? "fc-selected" : "")} data-testid="gov-rows"
                                    onRow={(o) => ({ onClick: () => setOpenId(o.id), "data-order": o.id } as HTMLAttributes<HTMLElement>)} />
      )}
      <GovOrderDetail order={rows.find((o) => o.id === openId) ?? null} onClose={() => setOpenId(null)}
                      onChanged={(o) => {
                        setRows((all) => all.map((x) => (x.id === o.id ? o : x)));
                        void refetch(); // the rates move with the answer
                      }} />
    </div>
  );
}
