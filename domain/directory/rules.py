"""The directory's input rules, without I/O: what a company, project, staff member, login, role
grant or API key must look like before the repository is asked about it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from domain.errors import invalid
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
        raise invalid(f"{field} must not be empty.", field)
    if len(value) > max_len:
        raise invalid(f"{field} may have at most {max_len} characters.", field)
    return value


def check_project(p: ProjectInput) -> ProjectInput:
    code = p.code.strip().upper()
    if not PROJECT_CODE.match(code):
        raise invalid("code must be 1–16 capital letters, digits or '-', starting with a letter or digit.", "code")
    if p.property_type not in PROPERTY_TYPES:
        raise invalid("propertyType must be one of: " + ", ".join(PROPERTY_TYPES), "propertyType")
    if not 0 <= p.households <= 1_000_000:
        raise invalid("households must be between 0 and 1,000,000.", "households")
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
        raise invalid("slug must be 2–63 lowercase letters, digits or '-'.", "slug")
    return slug


def check_username(username: str) -> str:
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise invalid("username must be 2–64 lowercase letters, digits, '.', '_' or '-'.", "username")
    return username


def check_password(password: str) -> None:
    if problem := password_problem(password):
        raise invalid(problem, "password")


def check_phone(phone: str) -> str:
    """The digits of a staff member's number."""
    digits = normalize(phone)
    if not digits.isdigit() or not 5 <= len(digits) <= 20:
        raise invalid("phone must be 5–20 digits.", "phone")
    return digits


def check_role_scope(role: Role, project_id: UUID | None) -> None:
    """A company-wide role is granted without a project; a project role on exactly one."""
    if role in ORG_WIDE_ROLES and project_id is not None:
        raise invalid(f"{role.value} covers the whole company; leave projectId empty.", "projectId")
    if role not in ORG_WIDE_ROLES and project_id is None:
        raise invalid(f"{role.value} belongs to a project; give projectId.", "projectId")


def check_grant(access: str, permissions: list[Permission] | None) -> list[str] | None:
    """What an API key is granted, as stored: None (what its access gives) or sorted permission values."""
    if permissions is None:
        return None
    if access != "read_write":
        raise invalid("A key granted permissions writes: give it access READ_WRITE.", "access")
    if not permissions:
        raise invalid("permissions must name at least one, or be left out for what the access gives.", "permissions")
    refused = sorted(p.value for p in set(permissions) - API_KEY_GRANTABLE)
    if refused:
        raise invalid(f"A key cannot be granted {', '.join(refused)}; grantable: "
                      f"{', '.join(sorted(p.value for p in API_KEY_GRANTABLE))}.", "permissions")
    return sorted(p.value for p in set(permissions))


def check_api_key(name: str, access: str, permissions: list[Permission] | None, expires_at: datetime | None,
                  project_ids: list[UUID] | None, *, now: datetime | None = None) -> tuple[str, list[str] | None]:
    """(the trimmed name, the grant) of a new API key, or the first thing wrong with it."""
    name = check_text(name, "name", max_len=100)
    if access not in API_KEY_ACCESS:
        raise invalid("access must be read or read_write.", "access")
    granted = check_grant(access, permissions)
    if expires_at is not None and expires_at <= (now or datetime.now(UTC)):
        raise invalid("expiresAt must be in the future.", "expiresAt")
    if project_ids is not None and not project_ids:
        raise invalid("projectIds must name at least one project, or be left out for all.", "projectIds")
    return name, granted
