// A project from the board: the month's daily 三率 against the target, the last six months side by
// side, the month drilled by category / kind / building (bars or a table), its overdue cases
// (links to the case page), and the monthly summary to print or export.
import { App, Button, Drawer, List, Segmented, Space, Table, Tabs, Tag } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { lazy, Suspense, useState } from "react";
import { Link } from "react-router-dom";
import { download, openPrint } from "../../api/documents";
import { useQuery } from "../../api/useQuery";
import type { KpiDimension, ProjectBreakdownQuery } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { KINDS } from "../../ui/labels";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { pct, type Row } from "./health";
import { BreakdownDoc, OverdueDoc, SeriesDoc, TargetDoc } from "./queries";

const DayLines = lazy(() => import("./SeriesChart").then((m) => ({ default: m.DayLines })));
const MonthBars = lazy(() => import("./SeriesChart").then((m) => ({ default: m.MonthBars })));
const SliceBars = lazy(() => import("./SeriesChart").then((m) => ({ default: m.SliceBars })));

const DIMENSIONS: { value: KpiDimension; zh: string; en: string }[] = [
  { value: "CATEGORY", zh: "类别", en: "Category" },
  { value: "KIND", zh: "类型", en: "Kind" },
  { value: "BUILDING", zh: "楼栋", en: "Building" },
];

function DocumentLinks({ projectId, code, month }: { projectId: string; code: string; month: string }) {
  const { message } = App.useApp();
  const query = `project=${encodeURIComponent(projectId)}&month=${month}`;
  const failed = (e: unknown) => void message.error(e instanceof Error ? e.message : String(e));
  return (
    <Space>
      <Button onClick={() => openPrint(`/print/monthly-summary?${query}`).catch(failed)}><L zh="月度小结（打印）" en="Monthly summary (print)" /></Button>
      <Button onClick={() => download(`/export/monthly-summary.xlsx?${query}`, `月度小结-${month}-${code}.xlsx`).catch(failed)}>
        <L zh="导出 XLSX" en="Export XLSX" /></Button>
    </Space>
  );
}

function Trends({ projectId, month }: { projectId: string; month: Dayjs }) {
  const end = month.endOf("month");
  const to = (end.isAfter(dayjs()) ? dayjs() : end).format("YYYY-MM-DD");
  const series = useQuery(SeriesDoc, { from: month.startOf("month").format("YYYY-MM-DD"), to, projectId,
    monthsFrom: month.subtract(5, "month").startOf("month").format("YYYY-MM-DD") });
  const target = useQuery(TargetDoc, {});
  const goal = target.data?.alertSettings.satisfactionTarget ?? null;
  if (series.loading && !series.data) return <Loading />;
  return (
    <>
      <ErrorBanner error={series.error} onRetry={() => void series.refetch()} />
      <h4><L zh="本月每日三率" en="This month, day by day" /></h4>
      {series.data?.kpiSeries.length ? <Suspense fallback={<Loading />}><DayLines points={series.data.kpiSeries} target={goal} /></Suspense>
        : <Nothing zh="本月暂无数据" en="No figures this month yet" />}
      <h4><L zh="近六个月对比" en="The last six months" /></h4>
      {series.data?.months.length ? <Suspense fallback={<Loading />}><MonthBars points={series.data.months} /></Suspense>
        : <Nothing zh="暂无月度数据" en="No monthly figures yet" />}
    </>
  );
}

type Slice = ProjectBreakdownQuery["kpiBreakdown"][number];

function Drill({ projectId, month }: { projectId: string; month: Dayjs }) {
  const t = useT();
  const [by, setBy] = useState<KpiDimension>("CATEGORY");
  const [asTable, setAsTable] = useState(false);
  const slices = useQuery(BreakdownDoc, { by, month: month.format("YYYY-MM-01"), projectId });
  const label = (s: Slice) => (by === "KIND" ? KINDS.find((k) => k.value === s.key)?.zh ?? s.label : s.label) || t("未指定", "None");
  const shown = (slices.data?.kpiBreakdown ?? []).map((s) => ({ ...s, label: label(s) }));
  return (
    <>
      <Space wrap style={{ marginBottom: 8 }}>
        <Segmented<KpiDimension> value={by} onChange={setBy} data-testid="drill-by"
                                 options={DIMENSIONS.map((d) => ({ value: d.value, label: t(d.zh, d.en) }))} />
        <Segmented<string> value={asTable ? "table" : "bars"} onChange={(v) => setAsTable(v === "table")}
                           options={[{ value: "bars", label: t("图", "Bars") }, { value: "table", label: t("表", "Table") }]} />
      </Space>
      <ErrorBanner error={slices.error} onRetry={() => void slices.refetch()} />
      {slices.loading && !slices.data ? <Loading /> : shown.length === 0 ? <Nothing zh="本月暂无工单" en="No cases this month" />
        : asTable ? (
          <Table<Slice> size="small" rowKey="key" dataSource={shown} pagination={false} data-testid="breakdown-table" columns={[
            { title: t("名称", "Name"), dataIndex: "label" },
            { title: t("受理量", "Received"), key: "n", align: "right", render: (_, s) => s.kpis.received, sorter: (a, b) => a.kpis.received - b.kpis.received, defaultSortOrder: "descend" },
            { title: t("响应率", "Response"), key: "r", align: "right", render: (_, s) => pct(s.kpis.responseRate) },
            { title: t("解决率", "Resolution"), key: "s", align: "right", render: (_, s) => pct(s.kpis.resolutionRate) },
            { title: t("满意率", "Satisfaction"), key: "v", align: "right", render: (_, s) => pct(s.kpis.satisfactionRate) },
            { title: t("平均时长(时)", "Avg hours"), key: "h", align: "right", render: (_, s) => s.kpis.averageHandlingHours?.toFixed(1) ?? "—" },
          ]} />
        ) : <Suspense fallback={<Loading />}><SliceBars slices={shown} /></Suspense>}
    </>
  );
}

function Overdue({ projectId }: { projectId: string }) {
  const overdue = useQuery(OverdueDoc, { projectId });
  const hours = (m: number) => (m >= 1440 ? `${Math.floor(m / 1440)}天${Math.floor((m % 1440) / 60)}时` : `${Math.floor(m / 60)}时${m % 60}分`);
  return (
    <>
      <ErrorBanner error={overdue.error} onRetry={() => void overdue.refetch()} />
      {overdue.loading && !overdue.data ? <Loading /> : !overdue.data?.overdueCases.length ? <Nothing zh="没有超时工单" en="No overdue cases" /> : (
        <List size="small" dataSource={overdue.data.overdueCases} data-testid="overdue-list" renderItem={(o) => (
          <List.Item key={`${o.case.id}:${o.target}`}>
            <List.Item.Meta
              title={<span><Link to={`/cases/${o.case.id}`} className="fc-num">{o.case.number}</Link> <Tag>{o.case.stateLabel}</Tag>
                <Tag color="red">{o.targetLabel} 超时 {hours(o.overdueMinutes)}</Tag></span>}
              description={`${o.case.category.name} · ${o.case.description.slice(0, 60)}`} />
          </List.Item>
        )} />
      )}
    </>
  );
}

export function ProjectDrawer({ row, month, onClose }: { row: Row | null; month: Dayjs; onClose: () => void }) {
  const t = useT();
  return (
    <Drawer open={!!row} onClose={onClose} width={720} destroyOnHidden
            title={row && <span>{row.project.name} <span className="fc-beside">{[row.project.code, row.project.city, row.project.propertyTypeLabel].filter(Boolean).join(" · ")}</span></span>}>
      {row && (
        <>
          <Tabs items={[
            { key: "trend", label: t("趋势", "Trends"), children: <Trends projectId={row.project.id} month={month} /> },
            { key: "drill", label: t("钻取", "Drill down"), children: <Drill projectId={row.project.id} month={month} /> },
            { key: "overdue", label: <span>{t("超时工单", "Overdue")} <Tag>{row.overdue}</Tag></span>, children: <Overdue projectId={row.project.id} /> },
          ]} />
          <DocumentLinks projectId={row.project.id} code={row.project.code} month={month.format("YYYY-MM")} />
        </>
      )}
    </Drawer>
  );
}
