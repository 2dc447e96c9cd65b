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
  /** The side menu's section; without it, SECTION_OF's, else the section of the entry above. */
  group?: MenuGroup;
}

export type MenuGroup = "hq" | "cases" | "residents" | "centre" | "system";

// The side menu's sections, in this order, each collapsible (the shell remembers which are closed).
// A section a role has no entry in is not shown.
export const MENU_GROUPS: { key: MenuGroup; zh: string; en: string }[] = [
  { key: "hq", zh: "总部", en: "HQ" },
  { key: "cases", zh: "工单", en: "Cases" },
  { key: "residents", zh: "住户服务", en: "Residents" },
  { key: "centre", zh: "服务中心", en: "Service centre" },
  { key: "system", zh: "系统", en: "System" },
];

// Which section each entry of MENU sits in. MENU stays one line per entry: a new entry names its
// section with `group`, or is listed here, or else joins the section of the entry above it.
const SECTION_OF: Record<string, MenuGroup> = {
  "/hq": "hq", "/scorecards": "hq", "/quality": "hq",
  "/alerts": "cases", "/intake": "cases", "/queue": "cases", "/referrals": "cases", "/inbox": "cases",
  "/archive": "residents", "/notices": "residents", "/fees": "residents", "/surveys": "residents", "/archive/import": "residents",
  "/handover": "centre", "/m/patrol": "centre", "/patrols": "centre", "/hazards": "centre", "/improvements": "centre",
  "/knowledge": "centre", "/calls": "centre", "/people": "centre", "/roster": "centre",
  "/settings": "system", "/admin": "system",
};

const HQ: Role[] = ["ORG_ADMIN", "HQ_SUPERVISOR", "HQ_QUALITY"];
const DESK: Role[] = ["ORG_ADMIN", "PROJECT_MANAGER", "CS_SUPERVISOR", "CS_AGENT", "DISPATCHER"];

// In the order of a day's work: the boards that say where to look, then taking and working cases,
// what went outside, quality, then the less frequent pages. The side menu shows them in sections
// (MENU_GROUPS, SECTION_OF), keeping this order within each. The first entry a role sees is its home
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

export interface MenuSection { key: MenuGroup; zh: string; en: string; entries: MenuEntry[] }

/** Each entry's section: its own `group`, SECTION_OF's, else the one of the entry above it in MENU. */
export function sectionOf(menu: MenuEntry[] = MENU): Map<string, MenuGroup> {
  const found = new Map<string, MenuGroup>();
  let above: MenuGroup = MENU_GROUPS[0].key;
  for (const m of menu) {
    above = m.group ?? SECTION_OF[m.path] ?? above;
    found.set(m.path, above);
  }
  return found;
}

const SECTIONS = sectionOf();

/** The viewer's menu in sections (MENU_GROUPS order, MENU order within), empty sections left out. */
export function menuSections(viewer: Viewer | null): MenuSection[] {
  const mine = MENU.filter((m) => hasRole(viewer, ...m.roles) || !!m.permissions?.some((p) => holdsAnywhere(viewer, p)));
  return MENU_GROUPS.map((g) => ({ ...g, entries: mine.filter((m) => SECTIONS.get(m.path) === g.key) }))
    .filter((g) => g.entries.length > 0);
}

/** The viewer's entries in the order the side menu shows them. */
export function menuFor(viewer: Viewer | null): MenuEntry[] {
  return menuSections(viewer).flatMap((g) => g.entries);
}

export function homeFor(viewer: Viewer | null): string {
  return menuFor(viewer)[0]?.path ?? "/queue";
}
