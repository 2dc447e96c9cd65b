// What the quality tabs share: the viewer's projects, dates and rates as they read, enum labels.
import { useQuery } from "../../api/useQuery";
import type { BulletinFigure, BulletinKind, RootCause } from "../../gql/graphql";
import { ProjectsDoc } from "./queries";

export function useProjects() {
  const q = useQuery(ProjectsDoc, {});
  return { ...q, projects: q.data?.projects.edges.map((e) => e.node) ?? [] };
}

export const when = (at: string | null | undefined) => (at ? new Date(at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" }) : "");
export const short = (at: string | null | undefined) => (at ? new Date(at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" }) : "");
export const pct = (v: number | null | undefined) => (v == null ? "—" : `${(v * 100).toFixed(1)}%`);

export const VERDICTS = [
  { value: "EXEMPLARY", zh: "典型", en: "Exemplary" },
  { value: "CAUTIONARY", zh: "警示", en: "Cautionary" },
] as const;

export const ROOT_CAUSES: { value: RootCause; zh: string; en: string }[] = [
  { value: "PROCESS", zh: "流程制度", en: "Process" },
  { value: "PEOPLE", zh: "人员", en: "People" },
  { value: "RESOURCES", zh: "资源配置", en: "Resources" },
  { value: "COMMUNICATION", zh: "沟通协调", en: "Communication" },
  { value: "OUTSIDE_PARTY", zh: "外部单位", en: "Outside party" },
  { value: "FACILITY", zh: "设施设备", en: "Facility" },
  { value: "DEVELOPER_LEGACY", zh: "开发遗留", en: "Developer legacy" },
  { value: "OTHER", zh: "其他", en: "Other" },
];

export const BULLETIN_KINDS: { value: BulletinKind; zh: string; en: string }[] = [
  { value: "PRAISE", zh: "表扬", en: "Praise" },
  { value: "CRITICISM", zh: "批评", en: "Criticism" },
  { value: "NOTICE", zh: "通报", en: "Notice" },
];

export const FIGURES: { value: BulletinFigure; zh: string; en: string }[] = [
  { value: "RECEIVED", zh: "受理量", en: "Received" },
  { value: "RESPONSE_RATE", zh: "响应率", en: "Response rate" },
  { value: "RESOLUTION_RATE", zh: "解决率", en: "Resolution rate" },
  { value: "SATISFACTION_RATE", zh: "满意率", en: "Satisfaction rate" },
  { value: "FIRST_CONTACT_RATE", zh: "首次解决率", en: "First-contact rate" },
  { value: "RETURN_VISIT_RATE", zh: "回访率", en: "Return-visit rate" },
  { value: "ON_TIME_RATE", zh: "按时办结率", en: "On-time rate" },
  { value: "AVERAGE_HANDLING_HOURS", zh: "平均处理时长", en: "Avg handling hours" },
  { value: "COMPLAINTS_PER_1000", zh: "千户投诉率", en: "Complaints per 1000" },
  { value: "BROKEN_PROMISES", zh: "失约", en: "Broken promises" },
  { value: "ESCALATIONS", zh: "升级", en: "Escalations" },
];

export const DEPARTMENT_KINDS: { value: string; zh: string; en: string }[] = [
  { value: "customer_service", zh: "客服", en: "Customer service" },
  { value: "engineering", zh: "工程", en: "Engineering" },
  { value: "cleaning", zh: "保洁", en: "Cleaning" },
  { value: "security", zh: "秩序", en: "Security" },
  { value: "greening", zh: "绿化", en: "Greening" },
  { value: "quality", zh: "品质", en: "Quality" },
  { value: "admin", zh: "行政", en: "Admin" },
];
