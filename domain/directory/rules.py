"""The directory's input rules, without I/O: what a company, project, staff member, login, role
grant or API key must look like before the repository is asked about it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from domain.errors import DomainError, ErrorCode, ErrorReason, invalid
from tenants.auth.passwords import password_problem
from tenants.personal_data import normalize
from tenants.roles import API_KEY_GRANTABLE, ORG_WIDE_ROLES, Permission, Role

PROPERTY_TYPES = {
    "residential": "住宅小区 Residential",
    "office": "写字楼 Office tower",
    "commercial": "商业广场 Commercial plaza",
    "villa": "别墅区 Villas",
    "cbd": "CBD综合体 CBD complex",
    "industrial": "产业园 Industrial park",
    "mixed": "综合体 Mixed use",
}

DEFAULT_DEPARTMENTS = (
    ("customer_service", "客服中心"),
    ("engineering", "工程部"),
    ("cleaning", "环境部（保洁）"),
    ("security", "秩序维护部"),
    ("greening", "绿化部"),
    ("quality", "品质部"),
    ("admin", "综合管理部"),
)

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
PROJECT_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,15}$")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
API_KEY_ACCESS = ("read", "read_write")


@dataclass(frozen=True)
class ProjectInput:
    code: str
    name: str
    property_type: str
    city: str = ""
    address: str = ""
    households: int = 0


def check_text(value: str, field: str, *, max_len: int, required: bool = True) -> str:
    value = value.strip()
    if required and not value:
        raise invalid(f"请填写 {field}。{field} must not be empty.", field)
    if len(value) > max_len:
        raise invalid(f"请将 {field} 控制在 {max_len} 个字符以内。{field} may have at most {max_len} characters.", field)
    return value


def check_project(p: ProjectInput) -> ProjectInput:
    code = p.code.strip().upper()
    if not PROJECT_CODE.match(code):
        raise invalid("项目编号须为 1–16 个大写字母、数字或 '-'，并以字母或数字开头。"
                      "code must be 1–16 capital letters, digits or '-', starting with a letter or digit.", "code")
    if p.property_type not in PROPERTY_TYPES:
        types = ", ".join(PROPERTY_TYPES)
        raise invalid(f"物业类型须为以下之一：{types}。propertyType must be one of: {types}", "propertyType")
    if not 0 <= p.households <= 1_000_000:
        raise invalid("户数须在 0 到 1,000,000 之间。households must be between 0 and 1,000,000.", "households")
    return ProjectInput(
        code=code,
        name=check_text(p.name, "name", max_len=200),
        property_type=p.property_type,
        city=check_text(p.city, "city", max_len=100, required=False),
        address=check_text(p.address, "address", max_len=300, required=False),
        households=p.households,
    )


def check_slug(slug: str) -> str:
    slug = slug.strip().lower()
    if not SLUG.match(slug):
        raise invalid("企业标识须为 2–63 个小写字母、数字或 '-'。slug must be 2–63 lowercase letters, digits or '-'.", "slug")
    return slug


def check_username(username: str) -> str:
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise invalid("用户名须为 2–64 个小写字母、数字、'.'、'_' 或 '-'。"
                      "username must be 2–64 lowercase letters, digits, '.', '_' or '-'.", "username")
    return username


def check_password(password: str) -> None:
    if problem := password_problem(password):
        raise invalid(problem, "password")


def check_phone(phone: str) -> str:
    """The digits of a staff member's number."""
    digits = normalize(phone)
    if not digits.isdigit() or not 5 <= len(digits) <= 20:
        raise invalid("电话号码须为 5–20 位数字。phone must be 5–20 digits.", "phone")
    return digits


def check_role_scope(role: Role, project_id: UUID | None) -> None:
    """A company-wide role is granted without a project; a project role on exactly one."""
    if role in ORG_WIDE_ROLES and project_id is not None:
        raise invalid(f"角色 {role.value} 适用于全公司，请不要填写 projectId。"
                      f"{role.value} covers the whole company; leave projectId empty.",
                      "projectId")
    if role not in ORG_WIDE_ROLES and project_id is None:
        raise invalid(f"角色 {role.value} 隶属于项目，请填写 projectId。{role.value} belongs to a project; give projectId.", "projectId")


def check_grant(access: str, permissions: list[Permission] | None) -> list[str] | None:
    """What an API key is granted, as stored: None (what its access gives) or sorted permission values."""
    if permissions is None:
        return None
    if access != "read_write":
        raise invalid("指定了权限的密钥可以写入，请将访问方式设为 READ_WRITE。A key granted permissions writes: give it access READ_WRITE.",
                      "access")
    if not permissions:
        raise invalid("请至少指定一项权限，或不填以使用访问方式自带的权限。"
                      "permissions must name at least one, or be left out for what the access gives.", "permissions")
    refused = sorted(p.value for p in set(permissions) - API_KEY_GRANTABLE)
    if refused:
        named, grantable = ", ".join(refused), ", ".join(sorted(p.value for p in API_KEY_GRANTABLE))
        raise invalid(f"密钥不能被授予 {named}；可授予的权限：{grantable}。"
                      f"A key cannot be granted {named}; grantable: {grantable}.", "permissions")
    return sorted(p.value for p in set(permissions))


def check_api_key(name: str, access: str, permissions: list[Permission] | None, expires_at: datetime | None,
                  project_ids: list[UUID] | None, *, now: datetime | None = None) -> tuple[str, list[str] | None]:
    """(the trimmed name, the grant) of a new API key, or the first thing wrong with it."""
    name = check_text(name, "name", max_len=100)
    if access not in API_KEY_ACCESS:
        raise invalid("访问方式须为 read 或 read_write。access must be read or read_write.", "access")
    granted = check_grant(access, permissions)
    if expires_at is not None and expires_at <= (now or datetime.now(UTC)):
        raise invalid("过期时间须晚于现在。expiresAt must be in the future.", "expiresAt")
    if project_ids is not None and not project_ids:
        raise invalid("请至少指定一个项目，或不填以适用于全部项目。projectIds must name at least one project, or be left out for all.",
                      "projectIds")
    return name, granted


def check_admin_revocation(admins: dict[UUID, UUID], assignment_id: UUID, actor: str) -> None:
    """An org admin's role is taken back by another admin, and never the last one's: a company
    without an admin could no longer manage its logins, roles or keys. `admins`: the company's
    org_admin assignments (id → user id); `actor`: who revokes (`user:<id>`)."""
    if assignment_id not in admins:
        return
    if actor == f"user:{admins[assignment_id]}":
        raise DomainError(ErrorCode.INVALID_STATE, "不能收回自己的企业管理员角色，请由另一位管理员办理。"
                                                   "You cannot revoke your own org admin role; another admin can.",
                          "assignmentId", reason=ErrorReason.OWN_ADMIN_ROLE)
    if len(admins) == 1:
        raise DomainError(ErrorCode.INVALID_STATE, "这是公司唯一的企业管理员，请先授予另一人该角色。"
                                                   "This is the company's last org admin; make another one first.",
                          "assignmentId", reason=ErrorReason.LAST_ORG_ADMIN)
