// 热力图 Every project as one cell, worst top-left: health colours in the health mode, one blue
// hue for a rate or the standard score. Canvas, progressive, no animation (2,000 cells draw in
// two frames). Arrow keys move a cursor over the cells; Enter or a click opens the project.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { useChart, type Chart } from "../../ui/charts";
import type { Metric } from "./board";
import { valueOf } from "./board";
import { HEALTH, healthOf, pct, type Health, type Row } from "./health";

const ORDER: Health[] = ["red", "orange", "yellow", "green", "grey"];

function columnsFor(n: number): number {
  return Math.min(50, Math.max(1, Math.ceil(Math.sqrt(n * 1.25))));
}

export default function Heatmap({ rows, metric, changed, onOpen, onDrawn }: {
  rows: Row[]; metric: Metric; changed: Set<string>; onOpen: (r: Row) => void; onDrawn: () => void;
}) {
  const cols = columnsFor(rows.length);
  const lines = Math.max(1, Math.ceil(rows.length / cols));
  const [cursor, setCursor] = useState(-1);
  const [blink, setBlink] = useState(false);
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const chartRef = useRef<Chart | null>(null);

  useEffect(() => {
    if (changed.size === 0) return;
    const t = window.setInterval(() => setBlink((b) => !b), 500);
    return () => { window.clearInterval(t); setBlink(false); };
  }, [changed]);

  const option = useMemo(() => {
    const labels = rows.length <= 120;
    const data = rows.map((r, i) => {
      const v = valueOf(r, metric);
      const pulse = blink && changed.has(r.project.id);
      return {
        value: [i % cols, Math.floor(i / cols), v ?? -1], // -1: no figure yet, drawn grey
        name: r.project.name,
        itemStyle: pulse ? { borderColor: "#1677ff", borderWidth: 4 } : undefined,
      };
    });
    const health = metric === "health";
    return {
      tooltip: {
        confine: true,
        formatter: (p: { dataIndex: number }) => {
          const r = rowsRef.current[p.dataIndex];
          if (!r) return "";
          const h = HEALTH[healthOf(r)];
          return `<b>${r.project.name}</b> ${r.project.code} · ${r.project.city}<br/>健康 ${h.zh} · 未办结 ${r.open} · 超时 ${r.overdue}<br/>`
            + `响应率 ${pct(r.month.responseRate)} · 解决率 ${pct(r.month.resolutionRate)} · 满意率 ${pct(r.month.satisfactionRate)}<br/>`
            + `标准分 ${r.standardScore?.toFixed(1) ?? "—"} · 排名 ${r.rank ?? "—"}`;
        },
      },
      grid: { left: 8, right: 8, top: 8, bottom: 48, containLabel: false },
      xAxis: { type: "category", data: Array.from({ length: cols }, (_, i) => i), show: false, splitArea: { show: false } },
      yAxis: { type: "category", data: Array.from({ length: lines }, (_, i) => i), show: false, inverse: true },
      visualMap: health ? {
        type: "piecewise", orient: "horizontal", left: "center", bottom: 0, dimension: 2,
        pieces: ORDER.map((k) => ({ value: HEALTH[k].order, color: HEALTH[k].colour, label: `${HEALTH[k].zh} ${HEALTH[k].en}` })),
      } : {
        type: "continuous", orient: "horizontal", left: "center", bottom: 0, dimension: 2, calculable: false,
        min: metric === "standardScore" ? 20 : 0, max: metric === "standardScore" ? 80 : 100,
        inRange: { color: ["#e6f4ff", "#0958d9", "#002c8c"] }, outOfRange: { color: "#d9d9d9" }, text: ["高 High", "低 Low"],
      },
      series: [{
        type: "heatmap", data, progressive: 1000, progressiveThreshold: 1500,
        label: { show: labels, fontSize: 15, lineHeight: 22, color: "#000", textBorderColor: "#fff", textBorderWidth: 3, formatter: (p: { dataIndex: number }) => {
          const r = rowsRef.current[p.dataIndex];
          if (!r) return "";
          const v = valueOf(r, metric);
          return health ? `${r.project.name}\n${HEALTH[healthOf(r)].zh}` : `${r.project.name}\n${v == null ? "—" : metric === "standardScore" ? v.toFixed(1) : `${v}%`}`;
        } },
        itemStyle: { borderColor: "#fff", borderWidth: 1 },
        emphasis: { itemStyle: { borderColor: "#000", borderWidth: 2 } },
      }],
    };
  }, [rows, metric, cols, lines, changed, blink]);

  const box = useChart(option, (chart) => {
    chartRef.current = chart;
    chart.on("click", (p) => {
      const r = rowsRef.current[p.dataIndex];
      if (r) onOpen(r);
    });
  }, () => {
    // Only a chart people can see counts as drawn (a Suspense boundary may still hide it).
    if (box.current?.offsetParent) onDrawn();
  });

  const move = (to: number) => {
    const next = Math.max(0, Math.min(rows.length - 1, to));
    setCursor(next);
    chartRef.current?.dispatchAction({ type: "downplay", seriesIndex: 0 });
    chartRef.current?.dispatchAction({ type: "highlight", seriesIndex: 0, dataIndex: next });
    chartRef.current?.dispatchAction({ type: "showTip", seriesIndex: 0, dataIndex: next });
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.nativeEvent.isComposing) return;
    const step: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: cols, ArrowUp: -cols };
    if (e.key in step) {
      e.preventDefault();
      move(cursor < 0 ? 0 : cursor + step[e.key]);
    } else if (e.key === "Enter" && cursor >= 0 && rows[cursor]) {
      e.preventDefault();
      onOpen(rows[cursor]);
    }
  };
  const height = Math.min(720, Math.max(240, lines * (rows.length <= 30 ? 100 : rows.length <= 120 ? 64 : 14) + 60));
  const current = cursor >= 0 ? rows[cursor] : undefined;
  return (
    <div>
      <div ref={box} style={{ height }} tabIndex={0} onKeyDown={onKey} data-testid="hq-heatmap" role="application"
           aria-label={`热力图 Heat map：${rows.length} 个项目，方向键移动，回车打开 Arrow keys move, Enter opens`}
           onBlur={() => chartRef.current?.dispatchAction({ type: "hideTip" })} />
      <div aria-live="polite" className="fc-sr" data-testid="heatmap-cursor">
        {current ? `${current.project.name} ${HEALTH[healthOf(current)].zh}` : ""}
      </div>
    </div>
  );
}
