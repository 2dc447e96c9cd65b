// Labels of the roles, and which ones span the company (tenants/roles.py ORG_WIDE_ROLES): those are
// granted without a project. The list itself comes from the API (RoleListDoc).
import type { Role } from "../../gql/graphql";

export const ROLE_LABELS = {
  ORG_ADMIN: { zh: "企业管理员", en: "Organization admin" },
  HQ_SUPERVISOR: { zh: "总部督导", en: "HQ supervisor" },
  HQ_QUALITY: { zh: "总部品质", en: "HQ quality" },
  PROJECT_MANAGER: { zh: "项目经理", en: "Project manager" },
  CS_SUPERVISOR: { zh: "客服主管", en: "CS supervisor" },
  CS_AGENT: { zh: "客服专员", en: "CS agent" },
  DISPATCHER: { zh: "调度员", en: "Dispatcher" },
  TECHNICIAN: { zh: "维修工", en: "Technician" },
  STAFF: { zh: "员工", en: "Staff" },
} satisfies Record<Role, { zh: string; en: string }>;

export const ORG_WIDE: ReadonlySet<string> = new Set<Role>(["ORG_ADMIN", "HQ_SUPERVISOR", "HQ_QUALITY"]);

export function roleLabel(role: string): string {
  const l = (ROLE_LABELS as Record<string, { zh: string; en: string } | undefined>)[role];
  return l ? `${l.zh} ${l.en}` : role;
}
