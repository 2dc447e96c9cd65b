"""The company's people: staff, user accounts and role assignments (org admin work)."""

from __future__ import annotations

import asyncio
import uuid
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.errors import conflict, invalid, not_found
from tenants.auth.passwords import hash_password, password_problem
from tenants.personal_data import PersonalDataCipher, mask_phone, normalize
from tenants.provisioning import USERNAME, check_text
from tenants.records import record_change
from tenants.roles import ORG_WIDE_ROLES, Role


async def _project_exists(conn: AsyncConnection, org_id: UUID, project_id: UUID) -> bool:
    return (await conn.execute(
        text("SELECT 1 FROM projects WHERE org_id = :o AND id = :p"), {"o": org_id, "p": project_id}
    )).first() is not None


async def create_staff(
    conn: AsyncConnection, cipher: PersonalDataCipher, *, org_id: UUID, actor: str,
    project_id: UUID | None, department_id: UUID | None, name: str, title: str = "", phone: str | None = None,
) -> UUID:
    name = check_text(name, "name", max_len=100)
    title = check_text(title, "title", max_len=100, required=False)
    if project_id is not None and not await _project_exists(conn, org_id, project_id):
        raise not_found("The project", "projectId")
    if department_id is not None:
        if project_id is None:
            raise invalid("A department belongs to a project: give projectId too.", "departmentId")
        found = (await conn.execute(
            text("SELECT 1 FROM departments WHERE org_id = :o AND project_id = :p AND id = :d"),
            {"o": org_id, "p": project_id, "d": department_id},
        )).first()
        if not found:
            raise not_found("The department in this project", "departmentId")
    phone_values = {"enc": None, "hash": None, "masked": None}
    if phone:
        digits = normalize(phone)
        if not digits.isdigit() or not 5 <= len(digits) <= 20:
            raise invalid("phone must be 5–20 digits.", "phone")
        phone_values = {"enc": cipher.encrypt(digits), "hash": cipher.lookup_hash(digits), "masked": mask_phone(digits)}
    staff_id = uuid.uuid4()
    await conn.execute(
        text(
            "INSERT INTO staff (org_id, project_id, id, department_id, name, title, phone_enc, phone_hash, phone_masked) "
            "VALUES (:o, :p, :id, :d, :n, :t, :enc, :hash, :masked)"
        ),
        {"o": org_id, "p": project_id, "id": staff_id, "d": department_id, "n": name, "t": title, **phone_values},
    )
    await record_change(conn, org_id=org_id, project_id=project_id, actor=actor, topic="staff.created",
                        entity="staff", entity_id=staff_id, data={"name": name})
    return staff_id


async def create_user(
    conn: AsyncConnection, *, org_id: UUID, actor: str, username: str, display_name: str, password: str,
    staff_id: UUID | None = None,
) -> UUID:
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise invalid("username must be 2–64 lowercase letters, digits, '.', '_' or '-'.", "username")
    display_name = check_text(display_name, "displayName", max_len=100)
    if problem := password_problem(password):
        raise invalid(problem, "password")
    if staff_id is not None and not (await conn.execute(
        text("SELECT 1 FROM staff WHERE org_id = :o AND id = :s"), {"o": org_id, "s": staff_id}
    )).first():
        raise not_found("The staff member", "staffId")
    if (await conn.execute(
        text("SELECT 1 FROM users WHERE org_id = :o AND username = :u"), {"o": org_id, "u": username}
    )).first():
        raise conflict(f"The username {username} is taken.", "username")
    user_id = uuid.uuid4()
    password_hash = await asyncio.to_thread(hash_password, password)  # ~50 ms of CPU: off the loop
    await conn.execute(
        text(
            "INSERT INTO users (org_id, id, staff_id, username, display_name, password_hash) "
            "VALUES (:o, :id, :s, :u, :d, :h)"
        ),
        {"o": org_id, "id": user_id, "s": staff_id, "u": username, "d": display_name, "h": password_hash},
    )
    await record_change(conn, org_id=org_id, project_id=None, actor=actor, topic="user.created",
                        entity="user", entity_id=user_id, data={"username": username})
    return user_id


async def assign_role(
    conn: AsyncConnection, *, org_id: UUID, actor: str, user_id: UUID, role: Role, project_id: UUID | None,
) -> UUID:
    if role in ORG_WIDE_ROLES and project_id is not None:
        raise invalid(f"{role.value} covers the whole company; leave projectId empty.", "projectId")
    if role not in ORG_WIDE_ROLES and project_id is None:
        raise invalid(f"{role.value} belongs to a project; give projectId.", "projectId")
    if not (await conn.execute(
        text("SELECT 1 FROM users WHERE org_id = :o AND id = :u"), {"o": org_id, "u": user_id}
    )).first():
        raise not_found("The user", "userId")
    if project_id is not None and not await _project_exists(conn, org_id, project_id):
        raise not_found("The project", "projectId")
    row = (await conn.execute(
        text(
            "INSERT INTO role_assignments (org_id, user_id, role, project_id) VALUES (:o, :u, :r, :p) "
            "ON CONFLICT DO NOTHING RETURNING id"
        ),
        {"o": org_id, "u": user_id, "r": role.value, "p": project_id},
    )).first()
    if row is None:
        raise conflict("The user already has this role here.", "role")
    await record_change(conn, org_id=org_id, project_id=project_id, actor=actor, topic="role.assigned",
                        entity="user", entity_id=user_id, data={"role": role.value})
    return row.id


async def revoke_role(conn: AsyncConnection, *, org_id: UUID, actor: str, assignment_id: UUID) -> None:
    row = (await conn.execute(
        text("DELETE FROM role_assignments WHERE org_id = :o AND id = :a RETURNING user_id, role, project_id"),
        {"o": org_id, "a": assignment_id},
    )).first()
    if row is None:
        raise not_found("The role assignment", "assignmentId")
    await record_change(conn, org_id=org_id, project_id=row.project_id, actor=actor, topic="role.revoked",
                        entity="user", entity_id=row.user_id, data={"role": row.role})
