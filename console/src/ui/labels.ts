// Labels of the API's enums, Chinese first, for forms (the API labels what it returns itself).
import type {
  CaseKind, Channel, ContactKind, IdKind, OccupantRole, PetSpecies, ResidentKind, Severity, SpaceTenure, UnitUse, VehicleKind,
} from "../gql/graphql";

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
  "case.staff_visited": { zh: "员工回访", en: "Staff visited" },
  "case.praised_staff_set": { zh: "修改受表扬员工", en: "Praised staff changed" },
  "case.escalated": { zh: "升级", en: "Escalated" },
  "calendar.missing": { zh: "工作日历缺失", en: "Calendar missing" },
};

// The archive's enums (the API labels what it returns: roleLabel, useLabel, idKindLabel).
export const OCCUPANT_ROLES: { value: OccupantRole; zh: string; en: string }[] = [
  { value: "OWNER", zh: "业主", en: "Owner" },
  { value: "TENANT", zh: "租户", en: "Tenant" },
  { value: "FAMILY", zh: "家属", en: "Family" },
];

export const UNIT_USES: { value: UnitUse; zh: string; en: string }[] = [
  { value: "RESIDENTIAL", zh: "住宅", en: "Residential" },
  { value: "OFFICE", zh: "办公", en: "Office" },
  { value: "SHOP", zh: "商铺", en: "Shop" },
  { value: "STORAGE", zh: "储藏", en: "Storage" },
  { value: "OTHER", zh: "其他", en: "Other" },
];

export const RESIDENT_KINDS: { value: ResidentKind; zh: string; en: string }[] = [
  { value: "PERSON", zh: "个人", en: "Person" },
  { value: "COMPANY", zh: "单位", en: "Company" },
];

export const ID_KINDS: { value: IdKind; zh: string; en: string }[] = [
  { value: "ID_CARD", zh: "居民身份证", en: "ID card" },
  { value: "PASSPORT", zh: "护照", en: "Passport" },
  { value: "HK_MACAO", zh: "港澳居民来往内地通行证", en: "HK/Macao permit" },
  { value: "TAIWAN", zh: "台湾居民来往大陆通行证", en: "Taiwan permit" },
  { value: "FOREIGN_PERMANENT", zh: "外国人永久居留身份证", en: "Foreign permanent residence" },
  { value: "OTHER", zh: "其他证件", en: "Other" },
];

export const SPACE_TENURES: { value: SpaceTenure; zh: string; en: string }[] = [
  { value: "OWNED", zh: "产权", en: "Owned" },
  { value: "LEASED", zh: "租赁", en: "Leased" },
  { value: "PUBLIC", zh: "公共", en: "Public" },
];

export const VEHICLE_KINDS: { value: VehicleKind; zh: string; en: string }[] = [
  { value: "CAR", zh: "汽车", en: "Car" },
  { value: "NEW_ENERGY", zh: "新能源汽车", en: "New energy" },
  { value: "MOTORBIKE", zh: "摩托车", en: "Motorbike" },
  { value: "OTHER", zh: "其他", en: "Other" },
];

export const PET_SPECIES: { value: PetSpecies; zh: string; en: string }[] = [
  { value: "DOG", zh: "犬", en: "Dog" },
  { value: "CAT", zh: "猫", en: "Cat" },
  { value: "OTHER", zh: "其他", en: "Other" },
];

export const CONTACT_KINDS: { value: ContactKind; zh: string; en: string }[] = [
  { value: "MOBILE", zh: "手机", en: "Mobile" },
  { value: "LANDLINE", zh: "固定电话", en: "Landline" },
  { value: "EMAIL", zh: "电子邮箱", en: "E-mail" },
  { value: "WECHAT", zh: "微信", en: "WeChat" },
  { value: "EMERGENCY", zh: "紧急联系人", en: "Emergency contact" },
];
