// The board's first questions, asked as soon as the session has a token: beside the viewer query,
// not after it and the page's first render. Only on the board's own address; the board itself
// would ask the same (a viewer it refuses: the failed prime is dropped and the page asks as before).
import dayjs, { type Dayjs } from "dayjs";
import { prime } from "../../api/prime";
import { HeatmapChunk } from "./chunks";
import { OpenAlertsDoc, OverviewDoc } from "./queries";

/** The month the board shows: ?month=YYYY-MM, else this one. */
export function boardMonth(params: URLSearchParams): Dayjs {
  const month = params.get("month");
  return month ? dayjs(`${month}-01`) : dayjs().startOf("month");
}

export const overviewVariables = (month: Dayjs) => ({ month: month.format("YYYY-MM-01") });

export function primeBoard(search: string): void {
  const params = new URLSearchParams(search);
  prime(OverviewDoc, overviewVariables(boardMonth(params)));
  prime(OpenAlertsDoc, {});
  // The heat map's chart code is the other long wait; the board then finds it loaded.
  if (params.get("view") === "map") HeatmapChunk.preload().catch(() => undefined);
}
