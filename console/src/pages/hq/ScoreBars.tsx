// 标准分 The ten best and ten worst standard scores of the projects shown, as bars (one blue hue:
// red and green mean SLA and health here). A click opens the project.
import { useMemo, useRef } from "react";
import { useChart } from "../../ui/charts";
import type { Row } from "./health";

export default function ScoreBars({ rows, end, onOpen }: { rows: Row[]; end: "top" | "bottom"; onOpen: (r: Row) => void }) {
  const picked = useMemo(() => {
    const scored = rows.filter((r) => r.standardScore != null).sort((a, b) => b.standardScore! - a.standardScore!);
    const ten = end === "top" ? scored.slice(0, 10) : scored.slice(-10).reverse();
    return ten.reverse(); // ECharts draws the first category at the bottom
  }, [rows, end]);
  const ref = useRef(picked);
  ref.current = picked;
  const option = useMemo(() => ({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    grid: { left: 8, right: 40, top: 4, bottom: 4, containLabel: true },
    xAxis: { type: "value", min: (v: { min: number }) => Math.floor(Math.min(v.min, 40) / 5) * 5, splitLine: { show: false } },
    yAxis: { type: "category", data: picked.map((r) => `${r.rank ?? "—"}. ${r.project.name}`), axisLabel: { fontSize: 13 } },
    series: [{ type: "bar", name: "标准分", data: picked.map((r) => +r.standardScore!.toFixed(1)), barMaxWidth: 16,
      itemStyle: { color: end === "top" ? "#1677ff" : "#8c8c8c" }, label: { show: true, position: "right" } }],
  }), [picked, end]);
  const box = useChart(option, (chart) => chart.on("click", (p) => {
    const r = ref.current[p.dataIndex];
    if (r) onOpen(r);
  }));
  return <div ref={box} style={{ height: 260 }} data-testid={`score-bars-${end}`} role="img"
              aria-label={`${end === "top" ? "标准分前十" : "标准分后十"}：${[...picked].reverse().map((r) => `${r.project.name} ${r.standardScore!.toFixed(1)}`).join("，")}`} />;
}
