// The month's daily 三率 of one project. ECharts loads only here (its own chunk), tree-shaken.
import { LineChart } from "echarts/charts";
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";
import type { ProjectSeriesQuery } from "../../gql/graphql";

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, AriaComponent, SVGRenderer]);

export default function SeriesChart({ points }: { points: ProjectSeriesQuery["kpiSeries"] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const chart = echarts.init(box.current, undefined, { renderer: "svg" });
    const rate = (v: number | null | undefined) => (v == null ? null : +(v * 100).toFixed(1));
    chart.setOption({
      animation: false,
      aria: { enabled: true, decal: { show: true } },
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: 24 },
      xAxis: { type: "category", data: points.map((p) => p.period.slice(5)) },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: [
        { name: "响应率", type: "line", data: points.map((p) => rate(p.kpis.responseRate)), connectNulls: true },
        { name: "解决率", type: "line", data: points.map((p) => rate(p.kpis.resolutionRate)), connectNulls: true },
        { name: "满意率", type: "line", data: points.map((p) => rate(p.kpis.satisfactionRate)), connectNulls: true },
      ],
    });
    const resize = () => chart.resize();
    window.addEventListener("resize", resize);
    return () => {
      window.removeEventListener("resize", resize);
      chart.dispose();
    };
  }, [points]);
  return <div ref={box} style={{ height: 280 }} data-testid="series-chart" role="img" aria-label="三率日趋势 Daily rates" />;
}
