"""Duty shifts in PostgreSQL, inside the caller's transaction (and so its tenant scope)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.errors import conflict, invalid, not_found
from domain.roster.model import RECEPTION_ROLES, OnDuty, Shift, department_kind_for
from domain.unit_of_work import UnitOfWork

SHIFT_COLUMNS = "id, project_id, department_id, user_id, starts_at, ends_at, kind"
_DEPARTMENT = text("SELECT kind FROM departments WHERE org_id = :o AND project_id = :p AND id = :d")
_ON_PROJECT = text(
    "SELECT 1 FROM users u WHERE u.org_id = :o AND u.id = :u AND u.active "
    "AND EXISTS (SELECT 1 FROM role_assignments r WHERE r.user_id = u.id AND r.project_id = :p)"
)
# A manager may be at reception while on the dispatch roster; two shifts of one kind may not overlap.
_OVERLAP = text(
    "SELECT 1 FROM duty_shifts WHERE org_id = :o AND project_id = :p AND user_id = :u AND kind = :k AND starts_at < :e AND "
    "ends_at > :s LIMIT 1"
)
_MANAGER = text(
    "SELECT 1 FROM role_assignments r WHERE r.org_id = :o AND r.user_id = :u AND r.project_id = :p AND r.role = ANY(:roles) LIMIT 1"
)
_INSERT = text(
    "INSERT INTO duty_shifts (id, org_id, project_id, department_id, user_id, starts_at, ends_at, kind) "
    "VALUES (:id, :o, :p, :d, :u, :s, :e, :k)"
)
_DELETE = text(f"DELETE FROM duty_shifts WHERE org_id = :o AND id = :id RETURNING {SHIFT_COLUMNS}")
SHIFT_BY_ID = text(f"SELECT {SHIFT_COLUMNS} FROM duty_shifts WHERE org_id = :o AND id = :id")
ON_DUTY = text(
    "SELECT s.user_id, s.department_id, d.kind AS department_kind, max(s.ends_at) AS shift_ends_at, "
    "  (SELECT count(*) FROM cases c WHERE c.org_id = :o AND c.assignee_id = s.user_id "
    "     AND c.state IN ('dispatched', 'accepted', 'in_progress')) AS open_cases "
    "FROM duty_shifts s JOIN departments d ON d.org_id = s.org_id AND d.project_id = s.project_id AND d.id = s.department_id "
    "JOIN users u ON u.org_id = s.org_id AND u.id = s.user_id AND u.active "
    "WHERE s.org_id = :o AND s.project_id = :p AND s.kind = 'dispatch' AND s.starts_at <= :at AND s.ends_at > :at "
    "GROUP BY s.user_id, s.department_id, d.kind"
)
_CATEGORY = text("SELECT cc.code FROM cases c JOIN case_categories cc ON cc.org_id = c.org_id AND cc.id = c.category_id "
                 "WHERE c.org_id = :o AND c.id = :c")


class ShiftRepository:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def get(self, shift_id: UUID) -> Shift:
        """NOT_FOUND for a shift that is gone or another company's."""
        row = (await self._uow.conn.execute(SHIFT_BY_ID, {"o": self._uow.org_id, "id": shift_id})).first()
        if row is None:
            raise not_found("The shift", "shiftId", zh="班次")
        shift = Shift(id=row.id, project_id=row.project_id, department_id=row.department_id, user_id=row.user_id,
                      starts_at=row.starts_at, ends_at=row.ends_at)
        self._uow.track(shift)
        return shift

    async def add(self, shift: Shift) -> None:
        """Checked against what only the database knows: the department, the person's role on the
        project, and their other shifts there."""
        conn, p, u = self._uow.conn, shift.project_id, shift.user_id
        if (await conn.execute(_DEPARTMENT, {"o": self._uow.org_id, "p": p, "d": shift.department_id})).first() is None:
            raise not_found("The department (in this project)", "departmentId", zh="本项目中的部门")
        if (await conn.execute(_ON_PROJECT, {"o": self._uow.org_id, "p": p, "u": u})).first() is None:
            raise invalid("只有在本项目有角色的在职用户才能排入值班表。"
                          "Only an active user with a role on this project can be put on its duty roster.", "userId")
        if shift.kind == "reception" and (await conn.execute(_MANAGER, {"o": self._uow.org_id,
                                                                        "u": u, "p": p, "roles": list(RECEPTION_ROLES)})).first() is None:
            raise invalid("接访值班须由本项目的项目经理或客服主管担任。"
                          "A reception shift is a manager's: a project manager or CS supervisor of this project.", "userId")
        # One roster edit per person at a time, so two overlapping shifts cannot both pass the check.
        await conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": f"duty:{u}"})
        if (await conn.execute(_OVERLAP, {"o": self._uow.org_id,
                                          "p": p, "u": u, "k": shift.kind, "s": shift.starts_at, "e": shift.ends_at})).first():
            raise conflict("此人在该时段已有本项目的同类班次。"
                           "This person already has a shift of this kind on this project at that time.", "startsAt")
        await conn.execute(_INSERT, {"id": shift.id, "o": self._uow.org_id, "p": p, "d": shift.department_id, "u": u,
                                     "s": shift.starts_at, "e": shift.ends_at, "k": shift.kind})
        self._uow.track(shift)

    async def delete(self, shift: Shift) -> None:
        if (await self._uow.conn.execute(_DELETE, {"o": self._uow.org_id, "id": shift.id})).first() is None:
            raise not_found("The shift", "shiftId", zh="班次")


async def on_duty(conn: AsyncConnection, org_id: UUID, project_id: UUID, at: datetime) -> list[OnDuty]:
    return on_duty_from(await conn.execute(ON_DUTY, {"o": org_id, "p": project_id, "at": at}))


def on_duty_from(rows: Iterable[Row[Any]]) -> list[OnDuty]:
    return [OnDuty(r.user_id, r.department_id, r.department_kind, r.shift_ends_at, r.open_cases) for r in rows]


async def department_kind_of_case(conn: AsyncConnection, org_id: UUID, case_id: UUID) -> str:
    return department_kind_for((await conn.execute(_CATEGORY, {"o": org_id, "c": case_id})).scalar_one())
