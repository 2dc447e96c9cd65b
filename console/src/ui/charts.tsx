// ECharts for the console: one tree-shaken registry (its own chunk, loaded with the first chart)
// and a small hook that owns a chart's life. Canvas draws the 2,000-cell heat map fastest; every
// chart is still described to screen readers (aria) and patterned, not only coloured (decal).
import { BarChart, HeatmapChart, LineChart } from "echarts/charts";
import { AriaComponent, DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";

echarts.use([BarChart, HeatmapChart, LineChart, AriaComponent, DataZoomComponent, GridComponent, LegendComponent,
  MarkLineComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;
export type Chart = echarts.ECharts;

/** Draws option into the returned box; setup runs once per chart (events), done after each full draw. */
export function useChart(option: ChartOption, setup?: (chart: Chart) => void, done?: () => void) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<Chart | null>(null);
  const setupRef = useRef(setup);
  const doneRef = useRef(done);
  setupRef.current = setup;
  doneRef.current = done;
  useEffect(() => {
    if (!box.current) return;
    const c = echarts.init(box.current, undefined, { renderer: "canvas" });
    chart.current = c;
    setupRef.current?.(c);
    c.on("finished", () => doneRef.current?.());
    const resize = () => c.resize();
    window.addEventListener("resize", resize);
    return () => {
      window.removeEventListener("resize", resize);
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ animation: false, aria: { enabled: true, decal: { show: true } }, ...option }, true);
  }, [option]);
  return box;
}

export const pct100 = (v: number | null | undefined) => (v == null ? null : +(v * 100).toFixed(1));
