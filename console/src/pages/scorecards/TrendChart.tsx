// 趋势 The chosen projects' standard scores over the last six months (one line each; the aria
// decal and the legend name them, not colour alone).
import { useMemo } from "react";
import { useChart } from "../../ui/charts";

export interface Line { name: string; values: (number | null)[] }

export default function TrendChart({ months, lines }: { months: string[]; lines: Line[] }) {
  const option = useMemo(() => ({
    tooltip: { trigger: "axis" },
    legend: { top: 0, type: "scroll" },
    grid: { left: 40, right: 16, top: 36, bottom: 24 },
    xAxis: { type: "category", data: months },
    yAxis: { type: "value", scale: true, name: "标准分" },
    series: lines.map((l) => ({ name: l.name, type: "line", data: l.values.map((v) => (v == null ? null : +v.toFixed(1))), connectNulls: true, symbolSize: 7 })),
  }), [months, lines]);
  const box = useChart(option);
  return <div ref={box} style={{ height: 300 }} data-testid="score-trend" role="img"
              aria-label={`标准分趋势 Standard-score trend：${lines.map((l) => l.name).join("、")}`} />;
}
