"""Provisioning: companies (owner role, from the CLI) and projects (an org admin, through the API).
A new project gets its standard departments now and is completed by a worker from its event."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.cases.categories import DEFAULT_CATEGORIES, DEFAULT_NAMES_EN
from domain.sla.policy import default_rows
from domain.errors import conflict, invalid
from tenants.auth.passwords import hash_password, password_problem
from tenants.records import record_change

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


async def create_project(conn: AsyncConnection, org_id: UUID, actor: str, data: ProjectInput) -> UUID:
    p = check_project(data)
    exists = (await conn.execute(
        text("SELECT 1 FROM projects WHERE org_id = :o AND code = :c"), {"o": org_id, "c": p.code}
    )).first()
    if exists:
        raise conflict(f"A project with code {p.code} already exists.", "code")
    project_id = uuid.uuid4()
    await conn.execute(
        text(
            "INSERT INTO projects (org_id, id, code, name, property_type, city, address, households) "
            "VALUES (:o, :id, :code, :name, :pt, :city, :addr, :hh)"
        ),
        {"o": org_id, "id": project_id, "code": p.code, "name": p.name, "pt": p.property_type,
         "city": p.city, "addr": p.address, "hh": p.households},
    )
    await conn.execute(
        text("INSERT INTO departments (org_id, project_id, kind, name) VALUES (:o, :p, :k, :n)"),
        [{"o": org_id, "p": project_id, "k": kind, "n": name} for kind, name in DEFAULT_DEPARTMENTS],
    )
    await record_change(
        conn, org_id=org_id, project_id=project_id, actor=actor, topic="project.created",
        entity="project", entity_id=project_id, data={"code": p.code, "name": p.name},
    )
    return project_id


async def create_organization(
    owner_engine: AsyncEngine, *, slug: str, name: str, admin_username: str, admin_password: str,
    admin_display_name: str = "企业管理员",
) -> tuple[UUID, UUID]:
    """Creates a company and its first org admin, as the owner role. Returns (org_id, user_id)."""
    slug = slug.strip().lower()
    if not SLUG.match(slug):
        raise invalid("slug must be 2–63 lowercase letters, digits or '-'.", "slug")
    username = admin_username.strip().lower()
    if not USERNAME.match(username):
        raise invalid("username must be 2–64 lowercase letters, digits, '.', '_' or '-'.", "username")
    if problem := password_problem(admin_password):
        raise invalid(problem, "password")
    org_id, user_id = uuid.uuid4(), uuid.uuid4()
    async with owner_engine.begin() as conn:
        if (await conn.execute(text("SELECT 1 FROM organizations WHERE slug = :s"), {"s": slug})).first():
            raise conflict(f"An organization with slug {slug} already exists.", "slug")
        await conn.execute(
            text("INSERT INTO organizations (org_id, slug, name) VALUES (:o, :s, :n)"),
            {"o": org_id, "s": slug, "n": check_text(name, "name", max_len=200)},
        )
        await conn.execute(
            text("INSERT INTO users (org_id, id, username, display_name, password_hash) VALUES (:o, :u, :n, :d, :h)"),
            {"o": org_id, "u": user_id, "n": username, "d": admin_display_name, "h": hash_password(admin_password)},
        )
        await conn.execute(
            text("INSERT INTO role_assignments (org_id, user_id, role) VALUES (:o, :u, 'org_admin')"),
            {"o": org_id, "u": user_id},
        )
        await conn.execute(
            text("INSERT INTO case_categories (org_id, code, name, name_en, sort) VALUES (:o, :c, :n, :e, :s)"),
            [{"o": org_id, "c": code, "n": name, "e": DEFAULT_NAMES_EN[code], "s": i}
             for i, (code, name) in enumerate(DEFAULT_CATEGORIES)],
        )
        await conn.execute(
            text("INSERT INTO sla_policies (org_id, kind, severity, commit_minutes, arrive_minutes, resolve_minutes, visit_minutes) "
                 "VALUES (:o, :k, :s, :c, :a, :r, :v)"),
            [{"o": org_id, "k": k, "s": sev, "c": c, "a": a, "r": r, "v": v} for k, sev, c, a, r, v in default_rows()],
        )
        await conn.execute(text("INSERT INTO sla_ladders (org_id) VALUES (:o)"), {"o": org_id})
        await record_change(
            conn, org_id=org_id, project_id=None, actor="system:provisioning", topic="organization.created",
            entity="organization", entity_id=org_id, data={"slug": slug},
        )
    return org_id, user_id
