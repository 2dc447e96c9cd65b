// Labels of the API's enums, Chinese first, for forms (the API labels what it returns itself).
import type { CaseKind, Channel, Severity } from "../gql/graphql";

export const KINDS: { value: CaseKind; zh: string; en: string }[] = [
  { value: "REPAIR", zh: "报修", en: "Repair" },
  { value: "COMPLAINT", zh: "投诉", en: "Complaint" },
  { value: "INQUIRY", zh: "咨询", en: "Inquiry" },
  { value: "REQUEST", zh: "求助", en: "Request" },
  { value: "SUGGESTION", zh: "建议", en: "Suggestion" },
  { value: "PRAISE", zh: "表扬", en: "Praise" },
  { value: "REPORT", zh: "举报", en: "Report" },
];

export const SEVERITIES: { value: Severity; zh: string; en: string }[] = [
  { value: "EMERGENCY", zh: "紧急", en: "Emergency" },
  { value: "MAJOR", zh: "重要", en: "Major" },
  { value: "GENERAL", zh: "一般", en: "General" },
];

export const CHANNELS: { value: Channel; zh: string; en: string }[] = [
  { value: "PHONE", zh: "电话", en: "Phone" },
  { value: "FRONT_DESK", zh: "前台", en: "Front desk" },
  { value: "WALK_IN", zh: "来访", en: "Walk-in" },
  { value: "WECHAT", zh: "微信", en: "WeChat" },
  { value: "APP", zh: "业主APP", en: "Owner app" },
  { value: "EMAIL", zh: "邮件", en: "E-mail" },
  { value: "PATROL", zh: "巡查", en: "Patrol" },
  { value: "STAFF_RELAY", zh: "员工转达", en: "Staff relay" },
  { value: "HQ_HOTLINE", zh: "总部热线", en: "HQ hotline" },
  { value: "GOV_12345", zh: "12345热线", en: "12345 hotline" },
];
