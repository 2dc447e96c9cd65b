// 总部看板 HQ board: every project as a heat-map cell or a table row with its health colour, the
// month's 三率, score and rank; the ten best and worst standard scores and the live alert stream
// beside. Alerts refetch the figures (at most once per 15 s); changed projects pulse while the
// order stays put until R. View, metric and filters live in the URL.
import { Alert, Card, Checkbox, Col, DatePicker, Input, Row as GridRow, Segmented, Select, Space, Statistic } from "antd";
import dayjs from "dayjs";
import { Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useQuery, useThrottled } from "../../api/useQuery";
import { L, useT } from "../../i18n";
import { useKeys } from "../../ui/keys";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { AlertStream } from "./AlertStream";
import BoardTable from "./BoardTable";
import { HeatmapChunk, ScoreBarsChunk } from "./chunks";
import { applyFilters, METRICS, useBoardParams, useFrozenOrder, type Metric } from "./board";
import { Delta, HEALTH, pct, type Health, type Row } from "./health";
import { boardMonth, overviewVariables } from "./prime";
import { ProjectDrawer } from "./ProjectDrawer";
import { OverviewDoc } from "./queries";
import "./hq.css";

const Heatmap = HeatmapChunk.Component;
const ScoreBars = ScoreBarsChunk.Component;

export default function HqBoard() {
  const t = useT();
  const { params, filters, set } = useBoardParams();
  const month = boardMonth(params);
  const overview = useQuery(OverviewDoc, overviewVariables(month));
  const refetch = useThrottled(() => void overview.refetch(), 15_000);
  const [open, setOpen] = useState<Row | null>(null);
  const [end, setEnd] = useState<"top" | "bottom">("top");
  const drawn = useRef<HTMLDivElement>(null);

  const o = overview.data?.orgOverview;
  const all = useMemo(() => o?.projects ?? [], [o]);
  const names = useMemo(() => new Map(all.map((p) => [p.project.id, p.project.name])), [all]);
  const cities = useMemo(() => [...new Set(all.map((r) => r.project.city).filter(Boolean))].sort((a, b) => a.localeCompare(b, "zh")), [all]);
  const types = useMemo(() => [...new Map(all.map((r) => [r.project.propertyType, r.project.propertyTypeLabel])).entries()], [all]);
  const filterKey = [filters.q, filters.city, filters.type, filters.colour, filters.red, month.format("YYYY-MM")].join("|");
  const shown = useMemo(() => applyFilters(all, filters), [all, filterKey]); // eslint-disable-line react-hooks/exhaustive-deps
  const { sorted, changed, stale, resort } = useFrozenOrder(shown, filters.metric, filterKey);
  useKeys({ r: resort });
  // The charts' code loads while the figures do, not after them.
  useEffect(() => {
    if (filters.view === "map") HeatmapChunk.preload().catch(() => undefined); // Suspense shows any failure
    ScoreBarsChunk.preload().catch(() => undefined);
  }, [filters.view]);

  // A mark for people and for the render benchmark: the figures are on screen, in either view.
  useEffect(() => {
    delete drawn.current?.dataset.rendered;
  }, [filters.view, filters.metric, filterKey]);
  const onDrawn = useCallback(() => {
    if (drawn.current) drawn.current.dataset.rendered = String(sorted.length);
  }, [sorted.length]);

  return (
    <GridRow gutter={12}>
      <Col xs={24} xxl={17}>
        <Space wrap style={{ marginBottom: 12 }}>
          <DatePicker picker="month" allowClear={false} value={month} aria-label={t("月份", "Month")}
                      onChange={(d) => set("month", d ? d.format("YYYY-MM") : null)} disabledDate={(d) => d.isAfter(dayjs(), "month")} />
          <Segmented<string> value={filters.view} onChange={(v) => set("view", v === "map" ? "map" : null)} data-testid="view-toggle"
                             options={[{ value: "table", label: t("表格", "Table") }, { value: "map", label: t("热力图", "Heat map") }]} />
          {filters.view === "map" && (
            <Select<Metric> value={filters.metric} style={{ width: 120 }} aria-label={t("指标", "Metric")} data-testid="metric"
                            onChange={(v) => set("metric", v === "health" ? null : v)}
                            options={METRICS.map((m) => ({ value: m.value, label: t(m.zh, m.en) }))} />
          )}
          <Input.Search allowClear placeholder={t("项目、编号或城市", "Project, code or city")} defaultValue={filters.q} style={{ width: 200 }}
                        onSearch={(v) => set("q", v || null)} aria-label={t("筛选项目", "Filter projects")} />
          <Select allowClear placeholder={t("城市", "City")} value={filters.city ?? undefined} style={{ width: 110 }} aria-label={t("城市", "City")}
                  onChange={(v?: string) => set("city", v ?? null)} options={cities.map((c) => ({ value: c, label: c }))} data-testid="filter-city" />
          <Select allowClear placeholder={t("项目类型", "Type")} value={filters.type ?? undefined} style={{ width: 130 }} aria-label={t("项目类型", "Type")}
                  onChange={(v?: string) => set("type", v ?? null)} options={types.map(([v, label]) => ({ value: v, label }))} data-testid="filter-type" />
          <Select<Health> allowClear placeholder={t("颜色", "Colour")} value={filters.colour ?? undefined} style={{ width: 110 }} aria-label={t("颜色", "Colour")}
                          onChange={(v?: Health) => set("colour", v ?? null)} data-testid="filter-colour"
                          options={(Object.keys(HEALTH) as Health[]).map((h) => ({ value: h, label: t(HEALTH[h].zh, HEALTH[h].en) }))} />
          <Checkbox checked={filters.red} onChange={(e) => set("red", e.target.checked ? "1" : null)}><L zh="只看红色" en="Red only" /></Checkbox>
        </Space>
        <ErrorBanner error={overview.error} onRetry={() => void overview.refetch()} />
        {o && (
          <div className="fc-kpis fc-hq-kpis" data-testid="kpi-strip">
            <Card size="small"><Statistic title={<L zh="未办结" en="Open" />} value={o.open} /></Card>
            <Card size="small"><Statistic title={<L zh="超时" en="Overdue" />} value={o.overdue} /></Card>
            <Card size="small"><Statistic title={<L zh="今日超时" en="Breached today" />} value={o.breachedToday} /></Card>
            <Card size="small"><Statistic title={<L zh="红色预警" en="Red alerts" />} value={o.alerts.red} /></Card>
            {(["responseRate", "resolutionRate", "satisfactionRate", "collectionRate"] as const).map((k, i) => (
              <Card size="small" key={k}><Statistic title={<L zh={["响应率", "解决率", "满意率", "收缴率"][i]} en={["Response", "Resolution", "Satisfaction", "Collection"][i]} />}
                value={pct(o.totals[k])} suffix={<Delta now={o.totals[k]} before={o.previousTotals[k]} />} /></Card>
            ))}
          </div>
        )}
        {stale && (
          <Alert type="info" showIcon style={{ marginBottom: 8 }} data-testid="order-frozen"
                 message={<L zh="数据已更新，顺序保持不变：按 R 重新排序" en="Figures updated; the order is kept — press R to sort again" />} />
        )}
        <div ref={drawn} data-testid="board" data-view={filters.view}>
          {overview.loading && !o ? <Loading rows={10} /> : o && all.length === 0 ? (
            <Nothing zh="还没有项目" en="No projects yet" />
          ) : o && sorted.length === 0 ? (
            <Nothing zh="没有符合筛选条件的项目" en="No project matches the filters" />
          ) : filters.view === "map" ? (
            <Suspense fallback={<Loading rows={10} />}>
              <Heatmap rows={sorted} metric={filters.metric} changed={changed} onOpen={setOpen} onDrawn={onDrawn} />
            </Suspense>
          ) : (
            <BoardTable rows={sorted} changed={changed} loading={overview.loading && !!o} onOpen={setOpen} onDrawn={onDrawn} />
          )}
        </div>
      </Col>
      <Col xs={24} xxl={7}>
        {o && sorted.length > 0 && (
          <Card size="small" style={{ marginBottom: 12 }} title={<L zh="标准分" en="Standard score" />} data-testid="score-card"
                extra={<Segmented<"top" | "bottom"> size="small" value={end} onChange={setEnd}
                                  options={[{ value: "top", label: t("前十", "Top 10") }, { value: "bottom", label: t("后十", "Bottom 10") }]} />}>
            {sorted.some((r) => r.standardScore != null)
              ? <Suspense fallback={<Loading rows={4} />}><ScoreBars rows={sorted} end={end} onOpen={setOpen} /></Suspense>
              : <Nothing zh="本月尚未评分（系统每小时评分）" en="Not scored yet this month" />}
          </Card>
        )}
        <AlertStream names={names} onEvent={refetch} />
      </Col>
      <ProjectDrawer row={open} month={month} onClose={() => setOpen(null)} />
    </GridRow>
  );
}
