// 总部看板 HQ board: every project with its health colour, the month's 三率, score and rank beside
// last month; the live alert stream refetches the figures (at most once per 15 s), no reload.
import { App, Button, Card, Checkbox, Col, DatePicker, Drawer, Input, Row as GridRow, Space, Statistic, Table, Tooltip } from "antd";
import type { ColumnsType } from "antd/es/table";
import dayjs, { type Dayjs } from "dayjs";
import { lazy, Suspense, useMemo, useState, type HTMLAttributes } from "react";
import { useSearchParams } from "react-router-dom";
import { download, openPrint } from "../../api/documents";
import { useQuery, useThrottled } from "../../api/useQuery";
import { L, useT } from "../../i18n";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { AlertStream } from "./AlertStream";
import { Delta, HEALTH, HealthDot, healthOf, pct, type Row } from "./health";
import { OverviewDoc, SeriesDoc } from "./queries";

const SeriesChart = lazy(() => import("./SeriesChart"));

function columns(t: (zh: string, en: string) => string): ColumnsType<Row> {
  const rate = (key: "responseRate" | "resolutionRate" | "satisfactionRate", zh: string, en: string) => ({
    title: <L zh={zh} en={en} />, key, width: 96, align: "right" as const,
    sorter: (a: Row, b: Row) => (a.month[key] ?? -1) - (b.month[key] ?? -1),
    render: (_: unknown, r: Row) => <span className="fc-num">{pct(r.month[key])}<Delta now={r.month[key]} before={r.previousMonth[key]} /></span>,
  });
  return [
    { title: <L zh="健康" en="Health" />, key: "health", width: 76, fixed: "left",
      sorter: (a, b) => HEALTH[healthOf(a)].order - HEALTH[healthOf(b)].order, render: (_, r) => <HealthDot health={healthOf(r)} /> },
    { title: <L zh="项目" en="Project" />, key: "name", width: 130, fixed: "left", sorter: (a, b) => a.project.name.localeCompare(b.project.name, "zh"),
      render: (_, r) => <span>{r.project.name} <span className="fc-beside">{r.project.code}</span></span> },
    { title: <L zh="城市" en="City" />, key: "city", width: 64, render: (_, r) => r.project.city },
    { title: <L zh="未办结" en="Open" />, dataIndex: "open", width: 72, align: "right", sorter: (a, b) => a.open - b.open,
      render: (v: number) => <span className="fc-num" data-testid="open-count">{v}</span> },
    { title: <L zh="超时" en="Overdue" />, dataIndex: "overdue", width: 72, align: "right", sorter: (a, b) => a.overdue - b.overdue },
    { title: <L zh="今日超时" en="Breached today" />, dataIndex: "breachedToday", width: 96, align: "right", sorter: (a, b) => a.breachedToday - b.breachedToday },
    { title: <L zh="预警" en="Alerts" />, key: "alerts", width: 96, sorter: (a, b) => a.alerts.red * 1e6 + a.alerts.orange * 1e3 + a.alerts.yellow - (b.alerts.red * 1e6 + b.alerts.orange * 1e3 + b.alerts.yellow),
      render: (_, r) => <span className="fc-num" data-testid="alert-counts">{t("红", "R")}{r.alerts.red} {t("橙", "O")}{r.alerts.orange} {t("黄", "Y")}{r.alerts.yellow}</span> },
    rate("responseRate", "响应率", "Response"),
    rate("resolutionRate", "解决率", "Resolution"),
    rate("satisfactionRate", "满意率", "Satisfaction"),
    { title: <L zh="得分" en="Score" />, key: "score", width: 64, align: "right", sorter: (a, b) => (a.score ?? -1) - (b.score ?? -1),
      render: (_, r) => <span className="fc-num">{r.score?.toFixed(1) ?? "—"}</span> },
    { title: <L zh="排名" en="Rank" />, key: "rank", width: 80, align: "right", sorter: (a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9),
      render: (_, r) => <Tooltip title={t("标准分较上月", "Standard score vs last month")}>
        <span className="fc-num">{r.rank ?? "—"}{r.trend != null && r.trend !== 0 && <span className={r.trend > 0 ? "fc-up" : "fc-down"}> {r.trend > 0 ? "▲" : "▼"}{Math.abs(r.trend).toFixed(1)}</span>}</span>
      </Tooltip> },
  ];
}

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

function ProjectDrawer({ row, month, onClose }: { row: Row | null; month: Dayjs; onClose: () => void }) {
  const from = month.startOf("month").format("YYYY-MM-DD");
  const end = month.endOf("month");
  const to = (end.isAfter(dayjs()) ? dayjs() : end).format("YYYY-MM-DD");
  const series = useQuery(SeriesDoc, { from, to, projectId: row?.project.id ?? null }, !row);
  return (
    <Drawer open={!!row} onClose={onClose} width={640} title={row && <span>{row.project.name} <span className="fc-beside">{row.project.code}</span></span>}>
      {row && (
        <>
          <ErrorBanner error={series.error} onRetry={() => void series.refetch()} />
          {series.loading && !series.data ? <Loading /> : series.data?.kpiSeries.length ? (
            <Suspense fallback={<Loading />}><SeriesChart points={series.data.kpiSeries} /></Suspense>
          ) : <Nothing zh="本月暂无数据" en="No figures this month yet" />}
          <DocumentLinks projectId={row.project.id} code={row.project.code} month={month.format("YYYY-MM")} />
        </>
      )}
    </Drawer>
  );
}

export default function HqBoard() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const month = params.get("month") ? dayjs(`${params.get("month")}-01`) : dayjs().startOf("month");
  const text = params.get("q") ?? "";
  const redOnly = params.get("red") === "1";
  const overview = useQuery(OverviewDoc, { month: month.format("YYYY-MM-01") });
  const refetch = useThrottled(() => void overview.refetch(), 15_000);
  const [open, setOpen] = useState<Row | null>(null);
  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value); else next.delete(key);
    setParams(next, { replace: true });
  };

  const o = overview.data?.orgOverview;
  const names = useMemo(() => new Map(o?.projects.map((p) => [p.project.id, p.project.name]) ?? []), [o]);
  const rows = useMemo(() => (o?.projects ?? []).filter((r) => (!redOnly || healthOf(r) === "red")
    && (!text || r.project.name.includes(text) || r.project.code.toLowerCase().includes(text.toLowerCase()) || r.project.city.includes(text))), [o, text, redOnly]);
  const cols = useMemo(() => columns(t), [t]);

  return (
    <GridRow gutter={12}>
      <Col xs={24} xxl={17}>
        <Space wrap style={{ marginBottom: 12 }}>
          <DatePicker picker="month" allowClear={false} value={month} aria-label={t("月份", "Month")}
                      onChange={(d) => set("month", d ? d.format("YYYY-MM") : null)} disabledDate={(d) => d.isAfter(dayjs(), "month")} />
          <Input.Search allowClear placeholder={t("项目、编号或城市", "Project, code or city")} defaultValue={text} style={{ width: 220 }}
                        onSearch={(v) => set("q", v || null)} aria-label={t("筛选项目", "Filter projects")} />
          <Checkbox checked={redOnly} onChange={(e) => set("red", e.target.checked ? "1" : null)}><L zh="只看红色" en="Red only" /></Checkbox>
        </Space>
        <ErrorBanner error={overview.error} onRetry={() => void overview.refetch()} />
        {o && (
          <div className="fc-kpis" data-testid="kpi-strip">
            <Card size="small"><Statistic title={<L zh="未办结" en="Open" />} value={o.open} /></Card>
            <Card size="small"><Statistic title={<L zh="超时" en="Overdue" />} value={o.overdue} /></Card>
            <Card size="small"><Statistic title={<L zh="今日超时" en="Breached today" />} value={o.breachedToday} /></Card>
            <Card size="small"><Statistic title={<L zh="红色预警" en="Red alerts" />} value={o.alerts.red} /></Card>
            {(["responseRate", "resolutionRate", "satisfactionRate"] as const).map((k, i) => (
              <Card size="small" key={k}><Statistic title={<L zh={["响应率", "解决率", "满意率"][i]} en={["Response", "Resolution", "Satisfaction"][i]} />}
                value={pct(o.totals[k])} suffix={<Delta now={o.totals[k]} before={o.previousTotals[k]} />} /></Card>
            ))}
          </div>
        )}
        {overview.loading && !o ? <Loading rows={10} /> : o && o.projects.length === 0 ? (
          <Nothing zh="还没有项目" en="No projects yet" />
        ) : (
          <Table<Row> virtual size="small" rowKey={(r) => r.project.id} columns={cols} dataSource={rows} pagination={false}
                      scroll={{ x: 1038, y: 560 }} data-testid="hq-table" loading={overview.loading && !!o}
                      onRow={(r) => ({ onClick: () => setOpen(r), onKeyDown: (e) => e.key === "Enter" && setOpen(r), tabIndex: 0,
                                       "data-project": r.project.code } as HTMLAttributes<HTMLElement>)} />
        )}
      </Col>
      <Col xs={24} xxl={7}>
        <AlertStream names={names} onEvent={refetch} />
      </Col>
      <ProjectDrawer row={open} month={month} onClose={() => setOpen(null)} />
    </GridRow>
  );
}
