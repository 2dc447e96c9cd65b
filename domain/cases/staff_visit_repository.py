"""Staff return visits in PostgreSQL, under the caller's row-level security: a case or person of
another company or project is not found."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text

from domain.directory.repository import DirectoryRepository
from domain.errors import invalid, not_found
from domain.reads import Reader
from domain.unit_of_work import UnitOfWork

_CASE = text("SELECT project_id, kind FROM cases WHERE org_id = :o AND id = :c")
_INSERT = text("INSERT INTO staff_visits (org_id, project_id, case_id, user_id, outcome, note, by) "
               "VALUES (:o, :p, :c, :u, :outcome, :note, :by) RETURNING id")
_BY_CASE = text("SELECT id, case_id, user_id, outcome, note, by, at FROM staff_visits WHERE org_id = :o AND case_id = ANY(:ids) "
                "ORDER BY case_id, at, id")


async def case_of(uow: UnitOfWork, case_id: UUID) -> Any:
    row = (await uow.conn.execute(_CASE, {"o": uow.org_id, "c": case_id})).first()
    if row is None:
        raise not_found("The case", "caseId", zh="工单")
    return row


async def check_staff(uow: UnitOfWork, project_id: UUID, user_id: UUID) -> None:
    if not await DirectoryRepository(uow).works_in(user_id, project_id):
        raise invalid("被回访员工须是在本项目有角色的在职账号。The person must be an active user with a role in this project.",
                      "userId")


async def insert(uow: UnitOfWork, *, case_id: UUID, project_id: UUID, user_id: UUID, outcome: str, note: str) -> UUID:
    visit_id: UUID = (await uow.conn.execute(_INSERT, {"o": uow.org_id, "p": project_id, "c": case_id, "u": user_id,
                                                       "outcome": outcome, "note": note, "by": uow.actor})).scalar_one()
    return visit_id


async def by_case(db: Reader, case_ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_BY_CASE, {"o": db.org_id, "ids": list(case_ids)})
