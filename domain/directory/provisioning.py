"""Provisioning: a new company (as the owner role, from the CLI) with its first org admin, default
case categories and SLA policies; and the project use case run on a connection that seeding code
already holds (demo data, tests, benchmarks). Both record their change through a unit of work, as
the API's use cases do."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.cases.categories import DEFAULT_CATEGORIES, DEFAULT_NAMES_EN
from domain.directory import rules, service
from domain.directory.commands import CreateProject
from domain.directory.model import DirectoryChange
from domain.directory.rules import ProjectInput
from domain.errors import conflict
from domain.sla.policy import default_rows
from domain.unit_of_work import UnitOfWork
from tenants.auth.passwords import hash_password
from tenants.context import TenantScope

_SLUG_TAKEN = text("SELECT 1 FROM organizations WHERE org_id = :o AND slug = :s")
_INSERT_ORG = text("INSERT INTO organizations (org_id, slug, name) VALUES (:o, :s, :n)")
_INSERT_ADMIN = text(
    "INSERT INTO users (org_id, id, username, display_name, password_hash) VALUES (:o, :u, :n, :d, :h)"
)
_GRANT_ADMIN = text("INSERT INTO role_assignments (org_id, user_id, role) VALUES (:o, :u, 'org_admin')")
_INSERT_CATEGORY = text("INSERT INTO case_categories (org_id, code, name, name_en, sort) VALUES (:o, :c, :n, :e, :s)")
_INSERT_SLA_POLICY = text(
    "INSERT INTO sla_policies (org_id, kind, severity, commit_minutes, arrive_minutes, resolve_minutes, visit_minutes) "
    "VALUES (:o, :k, :s, :c, :a, :r, :v)"
)
_INSERT_SLA_LADDER = text("INSERT INTO sla_ladders (org_id) VALUES (:o)")


class OpenConnection:
    """Transactions on a connection the caller already holds: its owner commits or rolls back."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    @asynccontextmanager
    async def transaction(self, scope: TenantScope | None) -> AsyncIterator[AsyncConnection]:
        yield self._conn


def as_system(conn: AsyncConnection, org_id: UUID, actor: str) -> UnitOfWork:
    """A unit of work on a connection the caller holds (and commits), for a part of the system acting
    on its own: no permission check."""
    return UnitOfWork(OpenConnection(conn), org_id=org_id, actor=actor, scope=None)


async def create_project(conn: AsyncConnection, org_id: UUID, actor: str, data: ProjectInput) -> UUID:
    """新建项目 for seeding code, on its open connection, as `actor`."""
    return await service.create_project(CreateProject(data), as_system(conn, org_id, actor))


async def create_organization(
    owner_engine: AsyncEngine, *, slug: str, name: str, admin_username: str, admin_password: str,
    admin_display_name: str = "企业管理员",
) -> tuple[UUID, UUID]:
    """Creates a company and its first org admin, as the owner role. Returns (org_id, user_id)."""
    slug = rules.check_slug(slug)
    username = rules.check_username(admin_username)
    rules.check_password(admin_password)
    org_id, user_id = uuid.uuid4(), uuid.uuid4()
    async with owner_engine.begin() as conn, as_system(conn, org_id, "system:provisioning") as uow:
        if (await conn.execute(_SLUG_TAKEN, {"o": uow.org_id, "s": slug})).first():
            raise conflict(f"企业标识 {slug} 已被使用，请换一个。An organization with slug {slug} already exists.", "slug")
        await conn.execute(_INSERT_ORG, {"o": org_id, "s": slug, "n": rules.check_text(name, "name", max_len=200)})
        await conn.execute(_INSERT_ADMIN, {"o": org_id, "u": user_id, "n": username, "d": admin_display_name,
                                           "h": hash_password(admin_password)})
        await conn.execute(_GRANT_ADMIN, {"o": org_id, "u": user_id})
        await conn.execute(_INSERT_CATEGORY, [{"o": org_id, "c": code, "n": label, "e": DEFAULT_NAMES_EN[code], "s": i}
                                              for i, (code, label) in enumerate(DEFAULT_CATEGORIES)])
        await conn.execute(_INSERT_SLA_POLICY, [{"o": org_id, "k": k, "s": sev, "c": c, "a": a, "r": r, "v": v}
                                                for k, sev, c, a, r, v in default_rows()])
        await conn.execute(_INSERT_SLA_LADDER, {"o": org_id})
        company = DirectoryChange(org_id=org_id)
        company.record("organization.created", actor=uow.actor, entity="organization", entity_id=org_id,
                       project_id=None, data={"slug": slug})
        uow.track(company)
        await uow.commit()
    return org_id, user_id
