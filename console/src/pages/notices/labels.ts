import type { NoticeAudience, NoticeKind, NoticeState } from "../../gql/graphql";

export const STATES: { value: NoticeState; zh: string; en: string }[] = [
  { value: "DRAFT", zh: "草稿", en: "Drafts" },
  { value: "PENDING", zh: "待审核", en: "Pending" },
  { value: "SCHEDULED", zh: "已排期", en: "Scheduled" },
  { value: "PUBLISHED", zh: "已发布", en: "Published" },
  { value: "EXPIRED", zh: "已过期", en: "Expired" },
  { value: "WITHDRAWN", zh: "已撤回", en: "Withdrawn" },
];

export const KINDS: { value: NoticeKind; zh: string; en: string }[] = [
  { value: "GENERAL", zh: "一般", en: "General" },
  { value: "EMERGENCY", zh: "紧急", en: "Emergency" },
  { value: "OUTAGE", zh: "停水停电", en: "Outage" },
  { value: "FEE", zh: "缴费", en: "Fees" },
  { value: "EVENT", zh: "活动", en: "Event" },
];

export const AUDIENCES: { value: NoticeAudience; zh: string; en: string }[] = [
  { value: "PROJECT", zh: "全项目", en: "Whole project" },
  { value: "BUILDINGS", zh: "指定楼栋", en: "Buildings" },
  { value: "UNITS", zh: "指定房屋", en: "Flats" },
];

/** Beijing time, minutes: what a notice's times are read in. */
export function when(at: string | null | undefined): string {
  if (!at) return "—";
  return new Date(at).toLocaleString("sv-SE", { timeZone: "Asia/Shanghai" }).slice(0, 16);
}
