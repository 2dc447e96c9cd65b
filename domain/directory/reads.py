"""Read models of the directory — company, projects, departments, staff, logins, grants and API
keys. Row-level security limits every statement to the caller's company and projects."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import TextClause, text

from domain.actors import API_KEY_COLUMNS
from domain.reads import Reader, Row

PROJECT_COLUMNS = ("id, org_id, code, name, property_type, city, address, households, created_at, provisioned_at, work_opens, "
                   "work_closes, resident_rating")
STAFF_COLUMNS = "s.id, s.project_id, s.name, s.title, s.phone_masked, s.active, d.kind AS department_kind, d.name AS department_name"

_ORG = text("SELECT org_id, slug, name, created_at FROM organizations WHERE org_id = :org")
_PROJECT = text(f"SELECT {PROJECT_COLUMNS} FROM projects WHERE id = :id")
_PROJECT_SEEN = text("SELECT 1 FROM projects WHERE org_id = :org AND id = :p")
_PROJECTS_BY_ID = text(f"SELECT {PROJECT_COLUMNS} FROM projects WHERE org_id = :org AND id = ANY(:ids)")
_PROJECT_PAGE = text(
    f"SELECT {PROJECT_COLUMNS}, count(*) OVER () AS total FROM projects "
    "WHERE org_id = :org AND (CAST(:after AS text) IS NULL OR code > :after) ORDER BY code LIMIT :limit"
)
_PROJECT_COUNT = text("SELECT count(*) AS total FROM projects WHERE org_id = :org")
_DEPARTMENTS_BY_ID = text("SELECT id, project_id, kind, name FROM departments WHERE org_id = :org AND id = ANY(:ids)")
_DEPARTMENTS_BY_PROJECT = text(
    "SELECT id, project_id, kind, name FROM departments WHERE org_id = :org AND project_id = ANY(:ids) ORDER BY kind, name"
)
_STAFF_BY_PROJECT = text(
    f"SELECT {STAFF_COLUMNS} FROM staff s "
    "LEFT JOIN departments d ON d.org_id = s.org_id AND d.id = s.department_id "
    "WHERE s.org_id = :org AND s.project_id = ANY(:ids) ORDER BY d.kind NULLS LAST, s.name"
)
_USERS_BY_ID = text("SELECT id, username, display_name, active, staff_id, created_at FROM users WHERE org_id = :org AND id = ANY(:ids)")
_USER_PAGE = text(
    "SELECT id, username, display_name, active, staff_id, created_at, count(*) OVER () AS total FROM users "
    "WHERE org_id = :org AND (CAST(:after AS text) IS NULL OR username > :after) ORDER BY username LIMIT :limit"
)
_USER_COUNT = text("SELECT count(*) AS total FROM users WHERE org_id = :org")
# Company-wide assignments (no project) are visible to company-wide callers only, by RLS.
_GRANTS_BY_USER = text(
    "SELECT id, user_id, role, project_id FROM role_assignments WHERE org_id = :org AND user_id = ANY(:ids) ORDER BY role, project_id"
)
_API_KEYS = text(f"SELECT {API_KEY_COLUMNS} FROM api_keys WHERE org_id = :org ORDER BY created_at DESC, id LIMIT 200")


async def organization(db: Reader) -> Row[Any] | None:
    """The caller's company."""
    return await db.first(_ORG, {"org": db.org_id})


async def project(db: Reader, project_id: UUID) -> Row[Any] | None:
    return await db.first(_PROJECT, {"id": project_id})


async def project_seen(db: Reader, project_id: UUID) -> bool:
    """Whether the caller sees the project at all."""
    return await db.first(_PROJECT_SEEN, {"org": db.org_id, "p": project_id}) is not None


async def projects_by_id(db: Reader, ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_PROJECTS_BY_ID, {"org": db.org_id, "ids": list(ids)})


async def project_page(db: Reader, after_code: str | None, limit: int) -> list[Row[Any]]:
    """Up to `limit` projects by code after the cursor, each with the window's `total`."""
    return await db.all(_PROJECT_PAGE, {"org": db.org_id, "after": after_code, "limit": limit})


async def project_count(db: Reader) -> int:
    return await _count(db, _PROJECT_COUNT)


async def departments_by_id(db: Reader, ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_DEPARTMENTS_BY_ID, {"org": db.org_id, "ids": list(ids)})


async def departments_of_projects(db: Reader, project_ids: Sequence[UUID]) -> list[Row[Any]]:
    """The projects' departments by kind and name."""
    return await db.all(_DEPARTMENTS_BY_PROJECT, {"org": db.org_id, "ids": list(project_ids)})


async def staff_of_projects(db: Reader, project_ids: Sequence[UUID]) -> list[Row[Any]]:
    """The projects' staff by department kind (none last) and name."""
    return await db.all(_STAFF_BY_PROJECT, {"org": db.org_id, "ids": list(project_ids)})


async def users_by_id(db: Reader, ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_USERS_BY_ID, {"org": db.org_id, "ids": list(ids)})


async def user_page(db: Reader, after_name: str | None, limit: int) -> list[Row[Any]]:
    """Up to `limit` logins by username after the cursor, each with the window's `total`."""
    return await db.all(_USER_PAGE, {"org": db.org_id, "after": after_name, "limit": limit})


async def user_count(db: Reader) -> int:
    return await _count(db, _USER_COUNT)


async def grants_of_users(db: Reader, user_ids: Sequence[UUID]) -> list[Row[Any]]:
    """The users' role assignments by role and project."""
    return await db.all(_GRANTS_BY_USER, {"org": db.org_id, "ids": list(user_ids)})


async def api_keys(db: Reader) -> list[Row[Any]]:
    """The company's 200 newest API keys."""
    return await db.all(_API_KEYS, {"org": db.org_id})


async def _count(db: Reader, stmt: TextClause) -> int:
    row = await db.first(stmt, {"org": db.org_id})
    assert row is not None  # count(*) answers one row
    total: int = row.total
    return total
