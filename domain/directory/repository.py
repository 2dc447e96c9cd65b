"""The directory in PostgreSQL: projects with their standard departments, staff, logins, role
grants and API keys — what a use case checks before adding one, and the rows it writes. Every
statement names the company; row-level security walls it all the same."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, TextClause, text

from domain.directory.model import DirectoryChange
from domain.directory.rules import DEFAULT_DEPARTMENTS, ProjectInput
from domain.unit_of_work import UnitOfWork
from tenants.roles import Role

_PROJECT_EXISTS = text("SELECT 1 FROM projects WHERE org_id = :o AND id = :p")
_PROJECT_CODE_TAKEN = text("SELECT 1 FROM projects WHERE org_id = :o AND code = :c")
_PROJECTS_FOUND = text("SELECT count(*) FROM projects WHERE org_id = :o AND id = ANY(:ids)")
_DEPARTMENT_EXISTS = text("SELECT 1 FROM departments WHERE org_id = :o AND project_id = :p AND id = :d")
_STAFF_EXISTS = text("SELECT 1 FROM staff WHERE org_id = :o AND id = :s")
_STAFF_WITH_PHONE = text("SELECT id FROM staff WHERE org_id = :o AND project_id = :p AND phone_hash = :h")
_USER_EXISTS = text("SELECT 1 FROM users WHERE org_id = :o AND id = :u")
_USERNAME_TAKEN = text("SELECT 1 FROM users WHERE org_id = :o AND username = :u")
# Works in the project: an active user with a role there, or company-wide.
_WORKS_IN = text(
    "SELECT 1 FROM users u JOIN role_assignments r ON r.org_id = u.org_id AND r.user_id = u.id "
    "WHERE u.org_id = :o AND u.id = :u AND u.active AND (r.project_id = :p OR r.project_id IS NULL) LIMIT 1"
)

_INSERT_PROJECT = text(
    "INSERT INTO projects (org_id, id, code, name, property_type, city, address, households) "
    "VALUES (:o, :id, :code, :name, :pt, :city, :addr, :hh)"
)
_INSERT_DEPARTMENT = text("INSERT INTO departments (org_id, project_id, kind, name) VALUES (:o, :p, :k, :n)")
_INSERT_STAFF = text(
    "INSERT INTO staff (org_id, project_id, id, department_id, name, title, phone_enc, phone_hash, phone_masked) "
    "VALUES (:o, :p, :id, :d, :n, :t, :enc, :hash, :masked)"
)
_INSERT_USER = text(
    "INSERT INTO users (org_id, id, staff_id, username, display_name, password_hash) VALUES (:o, :id, :s, :u, :d, :h)"
)
_INSERT_GRANT = text(
    "INSERT INTO role_assignments (org_id, user_id, role, project_id) VALUES (:o, :u, :r, :p) "
    "ON CONFLICT DO NOTHING RETURNING id"
)
_DELETE_GRANT = text(
    "DELETE FROM role_assignments WHERE org_id = :o AND id = :a RETURNING user_id, role, project_id"
)
# Locked, so two admins revoking each other at once count the same admins: the second waits, then sees one.
_ORG_ADMIN_GRANTS = text(
    "SELECT id, user_id FROM role_assignments WHERE org_id = :o AND role = 'org_admin' ORDER BY id FOR UPDATE"
)
_INSERT_API_KEY = text(
    "INSERT INTO api_keys (org_id, id, prefix, secret_hash, name, project_ids, access, permissions, expires_at, created_by) "
    "VALUES (:o, :id, :p, :h, :n, :ids, :a, :perms, :exp, :by)"
)
_REVOKE_API_KEY = text(
    "UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE org_id = :o AND id = :id RETURNING prefix"
)


class DirectoryRepository:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._org = uow.org_id

    def change(self) -> DirectoryChange:
        """A change whose records the unit of work writes at commit."""
        change = DirectoryChange(org_id=self._org)
        self._uow.track(change)
        return change

    async def _found(self, stmt: TextClause, **params: Any) -> bool:
        return (await self._uow.conn.execute(stmt, {"o": self._org, **params})).first() is not None

    async def project_exists(self, project_id: UUID) -> bool:
        return await self._found(_PROJECT_EXISTS, p=project_id)

    async def project_code_taken(self, code: str) -> bool:
        return await self._found(_PROJECT_CODE_TAKEN, c=code)

    async def projects_found(self, project_ids: set[UUID]) -> int:
        found: int = (await self._uow.conn.execute(_PROJECTS_FOUND, {"o": self._org, "ids": list(project_ids)})).scalar_one()
        return found

    async def department_exists(self, project_id: UUID, department_id: UUID) -> bool:
        return await self._found(_DEPARTMENT_EXISTS, p=project_id, d=department_id)

    async def staff_exists(self, staff_id: UUID) -> bool:
        return await self._found(_STAFF_EXISTS, s=staff_id)

    async def staff_with_phone(self, project_id: UUID, phone_hash: bytes) -> UUID | None:
        """The project's staff member holding this number (one at most: the key of 0028)."""
        row = (await self._uow.conn.execute(_STAFF_WITH_PHONE, {"o": self._org, "p": project_id, "h": phone_hash})).first()
        return row.id if row is not None else None

    async def user_exists(self, user_id: UUID) -> bool:
        return await self._found(_USER_EXISTS, u=user_id)

    async def username_taken(self, username: str) -> bool:
        return await self._found(_USERNAME_TAKEN, u=username)

    async def works_in(self, user_id: UUID, project_id: UUID) -> bool:
        """An active user with a role in the project or company-wide: who may own, be assigned, be
        visited about or receive orders there."""
        return await self._found(_WORKS_IN, u=user_id, p=project_id)

    async def add_project(self, p: ProjectInput) -> UUID:
        """The project and its standard departments."""
        project_id = uuid.uuid4()
        conn = self._uow.conn
        await conn.execute(_INSERT_PROJECT, {"o": self._org, "id": project_id, "code": p.code, "name": p.name,
                                             "pt": p.property_type, "city": p.city, "addr": p.address, "hh": p.households})
        await conn.execute(_INSERT_DEPARTMENT, [{"o": self._org, "p": project_id, "k": kind, "n": name}
                                                for kind, name in DEFAULT_DEPARTMENTS])
        return project_id

    async def add_staff(self, *, project_id: UUID | None, department_id: UUID | None, name: str, title: str,
                        phone: dict[str, Any]) -> UUID:
        """`phone`: its sealed digits, lookup hash and masked form (all None without a number)."""
        staff_id = uuid.uuid4()
        await self._uow.conn.execute(_INSERT_STAFF, {"o": self._org, "p": project_id, "id": staff_id, "d": department_id,
                                                     "n": name, "t": title, **phone})
        return staff_id

    async def add_user(self, *, username: str, display_name: str, password_hash: str, staff_id: UUID | None) -> UUID:
        user_id = uuid.uuid4()
        await self._uow.conn.execute(_INSERT_USER, {"o": self._org, "id": user_id, "s": staff_id, "u": username,
                                                    "d": display_name, "h": password_hash})
        return user_id

    async def add_grant(self, user_id: UUID, role: Role, project_id: UUID | None) -> UUID | None:
        """The new assignment's id; None when the user already holds this role there."""
        row = (await self._uow.conn.execute(_INSERT_GRANT, {"o": self._org, "u": user_id, "r": role.value,
                                                            "p": project_id})).first()
        return row.id if row else None

    async def org_admin_grants(self) -> dict[UUID, UUID]:
        """The company's org_admin assignments (id → user id), locked until the transaction ends."""
        rows = await self._uow.conn.execute(_ORG_ADMIN_GRANTS, {"o": self._org})
        return {row.id: row.user_id for row in rows}

    async def remove_grant(self, assignment_id: UUID) -> Row[Any] | None:
        """The removed assignment's (user_id, role, project_id), or None."""
        return (await self._uow.conn.execute(_DELETE_GRANT, {"o": self._org, "a": assignment_id})).first()

    async def add_api_key(self, *, prefix: str, secret_hash: bytes, name: str, access: str, granted: list[str] | None,
                          project_ids: list[UUID] | None, expires_at: datetime | None, created_by: UUID | None) -> UUID:
        key_id = uuid.uuid4()
        await self._uow.conn.execute(_INSERT_API_KEY, {
            "o": self._org, "id": key_id, "p": prefix, "h": secret_hash, "n": name,
            "ids": sorted(set(project_ids)) if project_ids is not None else None, "a": access, "perms": granted,
            "exp": expires_at, "by": created_by})
        return key_id

    async def revoke_api_key(self, key_id: UUID) -> str | None:
        """The revoked key's prefix (revoking twice keeps the first time), or None."""
        row = (await self._uow.conn.execute(_REVOKE_API_KEY, {"o": self._org, "id": key_id})).first()
        return row.prefix if row else None
