// Menus per role (design brief §2). A page a role cannot use is not offered; the API still decides.
import type { ReactNode } from "react";
import { hasRole, type Role, type Viewer } from "./auth";
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

export const MENU: MenuEntry[] = [
  { path: "/hq", zh: "总部看板", en: "HQ board", roles: HQ },
  { path: "/alerts", zh: "预警中心", en: "Alerts", roles: [...HQ, "PROJECT_MANAGER", "CS_SUPERVISOR"] },
  { path: "/intake", zh: "登记", en: "Intake", roles: DESK },
  { path: "/scorecards", zh: "月度考评", en: "Scorecards", roles: HQ },
  { path: "/queue", zh: "工作台", en: "Queue", roles: [...DESK, "TECHNICIAN", "STAFF", "HQ_SUPERVISOR"] },
  { path: "/settings", zh: "设置", en: "Settings", roles: ["ORG_ADMIN", "HQ_QUALITY", "PROJECT_MANAGER"] },
  { path: "/quality", zh: "品质", en: "Quality", roles: HQ, permissions: ["REVIEW_MANAGE", "BULLETIN_PUBLISH", "INSPECTION_MANAGE"] },
  { path: "/roster", zh: "值班表", en: "Duty roster", roles: ["ORG_ADMIN", "PROJECT_MANAGER", "CS_SUPERVISOR"] },
  { path: "/admin", zh: "管理", en: "Administration", roles: ["ORG_ADMIN"] },
  { path: "/inbox", zh: "通知", en: "Inbox", roles: [...DESK, ...HQ, "TECHNICIAN", "STAFF"] },
  { path: "/referrals", zh: "转办·12345·决策反馈", en: "Referrals · 12345 · feedback", roles: [...HQ, "PROJECT_MANAGER", "CS_SUPERVISOR"] },
];

export function menuFor(viewer: Viewer | null): MenuEntry[] {
  const holds = (p: Permission) => !!viewer && (viewer.permissions.includes(p) || viewer.roles.some((g) => g.permissions.includes(p)));
  return MENU.filter((m) => hasRole(viewer, ...m.roles) || !!m.permissions?.some(holds));
}

export function homeFor(viewer: Viewer | null): string {
  return menuFor(viewer)[0]?.path ?? "/queue";
}
