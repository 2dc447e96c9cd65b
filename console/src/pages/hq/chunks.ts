// The board's chart parts, each its own chunk (ECharts comes with the first). Declared here rather
// than in HqBoard so that the entry can start the heat map's chunk beside the board's figures.
import { lazyLoaded } from "../../ui/lazyLoaded";

export const HeatmapChunk = lazyLoaded(() => import("./Heatmap"));
export const ScoreBarsChunk = lazyLoaded(() => import("./ScoreBars"));
