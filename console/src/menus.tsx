// Menus per role (design brief §2). A page a role cannot use is not offered; the API still decides.
import type { ReactNode } from "react";
import { hasRole, type Role, type Viewer } from "./auth";

export interface MenuEntry {
  path: string;
  zh: string;
  en: string;
  roles: Role[];
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
];

export function menuFor(viewer: Viewer | null): MenuEntry[] {
  return MENU.filter((m) => hasRole(viewer, ...m.roles));
}

export function homeFor(viewer: Viewer | null): string {
  return menuFor(viewer)[0]?.path ?? "/queue";
}
