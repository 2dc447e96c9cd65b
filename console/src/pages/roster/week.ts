// Week arithmetic on Beijing dates (China keeps no daylight saving: +08:00 all year), so the grid
// shows the project's days whatever the browser's clock says.
const DAY = 86_400_000;
const OFFSET = 8 * 3_600_000;
const WEEKDAYS = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];

/** The Beijing date (YYYY-MM-DD) of an instant. */
export function beijingDate(iso: string): string {
  return new Date(Date.parse(iso) + OFFSET).toISOString().slice(0, 10);
}

export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
}

/** The Monday (Beijing) of the week an instant falls in. */
export function mondayOf(ms: number): string {
  const date = beijingDate(new Date(ms).toISOString());
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
}

export function dayLabel(date: string): string {
  return `${WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]} ${date.slice(5)}`;
}

export function hhmm(iso: string): string {
  return new Date(Date.parse(iso) + OFFSET).toISOString().slice(11, 16);
}
