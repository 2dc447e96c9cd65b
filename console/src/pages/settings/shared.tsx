// What the settings tabs share: who may change what, and how a target reads.
import type { Viewer } from "../../auth";
import type { Permission } from "../../gql/graphql";

/** Held company-wide: company settings (ladder, calendar, weights, thresholds). */
export function holdsCompanyWide(viewer: Viewer | null, permission: Permission): boolean {
  return !!viewer?.permissions.includes(permission);
}

/** 30分钟, 4小时, 1天, 1时30分: how a target reads. */
export function minutesLabel(min: number): string {
  if (min % 1440 === 0) return `${min / 1440}天`;
  if (min % 60 === 0) return `${min / 60}小时`;
  if (min > 60) return `${Math.floor(min / 60)}时${min % 60}分`;
  return `${min}分钟`;
}
