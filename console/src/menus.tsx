// Menus per role (design brief §2). A page a role cannot use is not offered; the API still decides.
import type { ReactNode } from "react";
import { hasRole, holdsAnywhere, type Role, type Viewer } from "./auth";
import type { Permission } from "./gql/graphql";

export interface MenuEntry {
  path: string;
  zh: string;
  en: string;
  roles: Role[];
  /** Also offered to whoever holds one of these, in any grant. */
  permissions?: Permission[];
  icon?: ReactNode;
}

const HQ: Role[] = ["ORG_ADMIN", "HQ_SUPERVISOR", "HQ_QUALITY"];
const DESK: Role[] = ["ORG_ADMIN", "PROJECT_MANAGER", "CS_SUPERVISOR", "CS_AGENT", "DISPATCHER"];

// In the order of a day's work: the boards that say where to look, then taking and working cases,
// what went outside, quality, then the less frequent pages. The first entry a role sees is its home
// page (homeFor): 总部看板 for HQ, 预警中心 for a project's managers, 登记 for the desk, 工作台 for
// technicians. Labels stay short enough for the side menu (180 px) in both languages.
export const MENU: MenuEntry[] = [
  { path: "/hq", zh: "总部看板", en: "HQ board", roles: HQ },
  { path: "/scorecards", zh: "月度考评", en: "Scorecards", roles: HQ },
  { path: "/alerts", zh: "预警中心", en: "Alerts", roles: [...HQ, "PROJECT_MANAGER", "CS_SUPERVISOR"] },
  { path: "/intake", zh: "登记", en: "Intake", roles: DESK },
  { path: "/queue", zh: "工作台", en: "Queue", roles: [...DESK, "TECHNICIAN", "STAFF", "HQ_SUPERVISOR"] },
  // The desk keeps the archive (HQ reads it); technicians and staff see a case's resident on the case.
  { path: "/archive", zh: "档案", en: "Archive", roles: [...DESK, "HQ_SUPERVISOR", "HQ_QUALITY"] },
  // The page holds 转办, 12345 工单 and 决策反馈; its tabs name all three.
  { path: "/referrals", zh: "转办·12345", en: "Referrals", roles: [...HQ, "PROJECT_MANAGER", "CS_SUPERVISOR"] },
  // 通知公告 and 收费 are the resident-facing desk's: whoever may draft a notice or read fees (HQ reads both).
  { path: "/notices", zh: "通知公告", en: "Notices", roles: [], permissions: ["NOTICE_DRAFT", "NOTICE_PUBLISH"] },
  { path: "/fees", zh: "收费", en: "Fees", roles: [], permissions: ["FEE_READ"] },
  // 满意度调查: whoever runs campaigns, enters answers or reads results (HQ quality makes the questionnaires).
  { path: "/surveys", zh: "满意度调查", en: "Surveys", roles: [], permissions: ["SURVEY_MANAGE", "SURVEY_CONDUCT", "SURVEY_READ"] },
  { path: "/quality", zh: "品质", en: "Quality", roles: HQ, permissions: ["REVIEW_MANAGE", "BULLETIN_PUBLISH", "INSPECTION_MANAGE"] },
  // 整改: anyone of a project may own a corrective action, so every role that works there sees its list.
  { path: "/improvements", zh: "整改", en: "Actions", roles: [...DESK, ...HQ, "TECHNICIAN", "STAFF"] },
  // The desk reads the wordings at intake too; this page is where they are written and looked through.
  { path: "/knowledge", zh: "话术", en: "Wordings", roles: [...DESK, ...HQ] },
  // 交接班: whoever writes the shift log (handover:write), HQ reads the briefing.
  { path: "/handover", zh: "交接班", en: "Handover", roles: HQ, permissions: ["HANDOVER_WRITE"] },
  // 巡查: whoever walks runs opens the phone page; whoever lays out routes and plans, the management page.
  { path: "/m/patrol", zh: "巡查打卡", en: "Patrol", roles: [], permissions: ["PATROL_RECORD"] },
  { path: "/patrols", zh: "巡查管理", en: "Patrols", roles: [], permissions: ["PATROL_MANAGE"] },
  // 隐患: whoever reports, works, verifies hazards or records a sweep; HQ runs the sweeps from its 排查 tab.
  { path: "/hazards", zh: "隐患", en: "Hazards", roles: HQ, permissions: ["HAZARD_REPORT", "HAZARD_MANAGE", "HAZARD_VERIFY", "SWEEP_MANAGE", "SWEEP_RECORD"] },
  // 通话记录: the desk and HQ read the calls and their figures; calls:manage adds the telephony integrations.
  { path: "/calls", zh: "通话记录", en: "Calls", roles: [...DESK, ...HQ], permissions: ["CALLS_MANAGE"] },
  { path: "/people", zh: "人员考核", en: "People", roles: ["ORG_ADMIN", "HQ_SUPERVISOR", "HQ_QUALITY", "PROJECT_MANAGER", "CS_SUPERVISOR"], permissions: ["KPI_STAFFING"] },
  { path: "/roster", zh: "值班表", en: "Duty roster", roles: ["ORG_ADMIN", "PROJECT_MANAGER", "CS_SUPERVISOR"] },
  // 档案导入: archive:import (org admins, project managers, CS supervisors; see tenants/roles.py).
  { path: "/archive/import", zh: "档案导入", en: "Import", roles: [], permissions: ["ARCHIVE_IMPORT"] },
  { path: "/inbox", zh: "通知", en: "Inbox", roles: [...DESK, ...HQ, "TECHNICIAN", "STAFF"] },
  { path: "/settings", zh: "设置", en: "Settings", roles: ["ORG_ADMIN", "HQ_QUALITY", "PROJECT_MANAGER"] },
  { path: "/admin", zh: "管理", en: "Administration", roles: ["ORG_ADMIN"] },
];

export function menuFor(viewer: Viewer | null): MenuEntry[] {
  return MENU.filter((m) => hasRole(viewer, ...m.roles) || !!m.permissions?.some((p) => holdsAnywhere(viewer, p)));
}

export function homeFor(viewer: Viewer | null): string {
  return menuFor(viewer)[0]?.path ?? "/queue";
}
