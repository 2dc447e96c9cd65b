import type { SurveyCampaignState, SurveyDimension, SurveyEntryChannel, SurveyQuestionKind, SurveySampleMode } from "../../gql/graphql";

type Named<V> = { value: V; zh: string; en: string };

export const KINDS: Named<SurveyQuestionKind>[] = [
  { value: "RATING", zh: "评分 1–5", en: "Rating 1–5" },
  { value: "SINGLE", zh: "单选", en: "Single choice" },
  { value: "MULTIPLE", zh: "多选", en: "Multiple choice" },
  { value: "TEXT", zh: "文字", en: "Text" },
];

export const DIMENSIONS: Named<SurveyDimension>[] = [
  { value: "OVERALL", zh: "总体", en: "Overall" },
  { value: "CUSTOMER_SERVICE", zh: "客服", en: "Customer service" },
  { value: "ENGINEERING", zh: "工程", en: "Engineering" },
  { value: "CLEANING", zh: "保洁", en: "Cleaning" },
  { value: "SECURITY", zh: "安保", en: "Security" },
  { value: "GREENING", zh: "绿化", en: "Greening" },
];

export const STATES: Named<SurveyCampaignState>[] = [
  { value: "DRAFT", zh: "草稿", en: "Draft" },
  { value: "OPEN", zh: "进行中", en: "Open" },
  { value: "CLOSED", zh: "已结束", en: "Closed" },
  { value: "CANCELLED", zh: "已取消", en: "Cancelled" },
];

export const SAMPLE_MODES: Named<SurveySampleMode>[] = [
  { value: "ALL", zh: "全部住户", en: "Every flat" },
  { value: "PERCENT", zh: "按比例", en: "A percentage" },
  { value: "COUNT", zh: "按户数", en: "A number of flats" },
];

export const CHANNELS: Named<SurveyEntryChannel>[] = [
  { value: "PHONE", zh: "电话", en: "Phone" },
  { value: "VISIT", zh: "上门", en: "Visit" },
  { value: "PAPER", zh: "纸质", en: "Paper" },
];

export function named<V>(list: Named<V>[], value: V | null | undefined, t: (zh: string, en: string) => string): string {
  const found = list.find((x) => x.value === value);
  return found ? t(found.zh, found.en) : value ? String(value) : "—";
}

/** Beijing time, minutes. */
export function when(at: string | null | undefined): string {
  if (!at) return "—";
  return new Date(at).toLocaleString("sv-SE", { timeZone: "Asia/Shanghai" }).slice(0, 16);
}

/** A 0–1 rate as a percentage with one decimal, or — when there is nothing to divide. */
export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? "—" : `${(rate * 100).toFixed(1)}%`;
}
