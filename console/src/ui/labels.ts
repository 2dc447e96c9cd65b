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

/** What a case's timeline (and the events behind it) calls each step: every topic the API writes to a
 * case's audit log (domain/cases/model.py transitions, referrals, written replies), plus the
 * escalations the timeline adds. An unknown topic shows as it is. */
export const TOPICS: Record<string, { zh: string; en: string }> = {
  "case.received": { zh: "受理", en: "Received" },
  "case.committed": { zh: "承诺", en: "Committed" },
  "case.dispatched": { zh: "派单", en: "Dispatched" },
  "case.accepted": { zh: "接单", en: "Accepted" },
  "case.started": { zh: "到场", en: "On site" },
  "case.paused": { zh: "等待业主", en: "Waiting for the resident" },
  "case.resumed": { zh: "恢复计时", en: "Clock resumed" },
  "case.resolved": { zh: "完工", en: "Resolved" },
  "case.confirmed": { zh: "业主确认", en: "Confirmed" },
  "case.reopened": { zh: "重新办理", en: "Reopened" },
  "case.rework": { zh: "回访不满意·返工", en: "Rework after the return visit" },
  "case.closed": { zh: "回访·关闭", en: "Closed" },
  "case.cancelled": { zh: "撤销", en: "Cancelled" },
  "case.promise_broken": { zh: "致歉与补救", en: "Promise broken" },
  "case.undispatchable": { zh: "无法派单", en: "Undispatchable" },
  "case.linked_repeat": { zh: "关联重复诉求", en: "Linked as a repeat" },
  "case.referred": { zh: "转办", en: "Referred" },
  "case.referral_acknowledged": { zh: "外部单位签收", en: "Referral acknowledged" },
  "case.referral_withdrawn": { zh: "收回转办", en: "Referral withdrawn" },
  "case.decline_requested": { zh: "申请婉拒", en: "Decline requested" },
  "case.decline_denied": { zh: "驳回婉拒", en: "Decline denied" },
  "case.declined": { zh: "婉拒", en: "Declined" },
  "case.reply_revised": { zh: "修订书面答复", en: "Written reply revised" },
  "case.reply_delivered": { zh: "书面答复送达", en: "Written reply delivered" },
  "case.escalated": { zh: "升级", en: "Escalated" },
  "calendar.missing": { zh: "工作日历缺失", en: "Calendar missing" },
};
