// The drawer's charts (their own chunk with ECharts): the month's daily 三率 with the company's
// satisfaction target as a line, the last months' 三率 as bars (month on month), a drill's slices.
import { useMemo } from "react";
import type { ProjectBreakdownQuery, ProjectSeriesQuery } from "../../gql/graphql";
import { pct100, useChart } from "../../ui/charts";

type Points = ProjectSeriesQuery["kpiSeries"];
const RATES = [["responseRate", "响应率"], ["resolutionRate", "解决率"], ["satisfactionRate", "满意率"]] as const;

export function DayLines({ points, target }: { points: Points; target: number | null }) {
  const option = useMemo(() => ({
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 44, right: 56, top: 32, bottom: 24 },
    xAxis: { type: "category", data: points.map((p) => p.period.slice(5)) },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: RATES.map(([key, name], i) => ({
      name, type: "line", data: points.map((p) => pct100(p.kpis[key])), connectNulls: true,
      ...(i === 2 && target != null ? { markLine: { symbol: "none", lineStyle: { type: "dashed", color: "#595959" },
        label: { formatter: `目标 ${Math.round(target * 100)}%`, position: "insideEndTop" }, data: [{ yAxis: Math.round(target * 1000) / 10 }] } } : {}),
    })),
  }), [points, target]);
  const box = useChart(option);
  return <div ref={box} style={{ height: 280 }} data-testid="series-chart" role="img"
              aria-label={`三率日趋势 Daily rates${target != null ? `，满意率目标 ${Math.round(target * 100)}%` : ""}`} />;
}

export function MonthBars({ points }: { points: Points }) {
  const option = useMemo(() => ({
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 44, right: 16, top: 32, bottom: 24 },
    xAxis: { type: "category", data: points.map((p) => p.period.slice(0, 7)) },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: RATES.map(([key, name]) => ({ name, type: "bar", data: points.map((p) => pct100(p.kpis[key])) })),
  }), [points]);
  const box = useChart(option);
  return <div ref={box} style={{ height: 260 }} data-testid="month-bars" role="img" aria-label="三率月度对比 Month on month" />;
}

export function SliceBars({ slices }: { slices: ProjectBreakdownQuery["kpiBreakdown"] }) {
  const top = useMemo(() => [...slices].sort((a, b) => b.kpis.received - a.kpis.received).slice(0, 12).reverse(), [slices]);
  const option = useMemo(() => ({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: { left: 8, right: 40, top: 28, bottom: 8, containLabel: true },
    xAxis: [{ type: "value", name: "件", splitLine: { show: false } }, { type: "value", min: 0, max: 100, show: false }],
    yAxis: { type: "category", data: top.map((s) => s.label || "—") },
    series: [
      { name: "受理量", type: "bar", data: top.map((s) => s.kpis.received), itemStyle: { color: "#1677ff" }, label: { show: true, position: "right" } },
      { name: "满意率", type: "bar", xAxisIndex: 1, data: top.map((s) => pct100(s.kpis.satisfactionRate)), itemStyle: { color: "#91caff" } },
    ],
  }), [top]);
  const box = useChart(option);
  return <div ref={box} style={{ height: Math.max(200, top.length * 36 + 48) }} data-testid="breakdown-bars" role="img"
              aria-label={`钻取 Breakdown：${top.map((s) => `${s.label} ${s.kpis.received}`).join("，")}`} />;
}
