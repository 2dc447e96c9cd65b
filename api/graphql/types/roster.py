"""值班表 The duty roster as the API shows it, and the dispatch proposal built from it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import strawberry
from sqlalchemy import Row, text

from api.context import Info
from api.graphql.types.node import Node, to_global_id
from api.graphql.types.project import Department
from api.graphql.types.viewer import User
from domain.errors import invalid, not_found
from domain.roster.model import OnDuty, department_kind_for, propose
from domain.roster.repository import ON_DUTY, SHIFT_COLUMNS, on_duty_from

MAX_WINDOW = timedelta(days=31)
_ROSTER = text(
    f"SELECT {SHIFT_COLUMNS} FROM duty_shifts WHERE project_id = :p AND starts_at < :to AND ends_at > :from "
    "ORDER BY starts_at, id LIMIT 2000"
)
_CASE = text(
    "SELECT c.project_id, cc.code FROM cases c JOIN case_categories cc ON cc.id = c.category_id WHERE c.id = :c"
)


async def _user(root, info: Info) -> User | None:
    row = await info.context.loaders.user_by_id.load(root.user_id)
    return User.from_row(row) if row else None


async def _department(root, info: Info) -> Department | None:
    row = await info.context.loaders.department_by_id.load(root.department_id)
    return Department.from_row(row) if row else None


@strawberry.type(description="班次 One person on duty for a department of a project, for a time.")
class DutyShift(Node):
    user_id: strawberry.Private[UUID]
    department_id: strawberry.Private[UUID]
    starts_at: datetime
    ends_at: datetime

    user = strawberry.field(resolver=_user)
    department = strawberry.field(resolver=_department)

    @classmethod
    def from_row(cls, row: Row) -> DutyShift:
        return cls(id=to_global_id("DutyShift", row.id), user_id=row.user_id, department_id=row.department_id,
                   starts_at=row.starts_at, ends_at=row.ends_at)


@strawberry.type(description="派单建议 Someone on duty now who could take the case, best first.")
class DispatchProposal:
    user_id: strawberry.Private[UUID]
    department_id: strawberry.Private[UUID]
    shift_ends_at: datetime
    open_cases: int = strawberry.field(description="Cases dispatched to them and not yet resolved.")
    matches_category: bool = strawberry.field(description="In the department the case's category belongs to.")

    user = strawberry.field(resolver=_user)
    department = strawberry.field(resolver=_department)

    @classmethod
    def of(cls, d: OnDuty, kind: str) -> DispatchProposal:
        return cls(user_id=d.user_id, department_id=d.department_id, shift_ends_at=d.shift_ends_at,
                   open_cases=d.open_cases, matches_category=d.department_kind == kind)


async def duty_roster(info: Info, project_id: UUID, start: datetime, end: datetime) -> list[DutyShift]:
    if end <= start:
        raise invalid("`to` must be after `from`.", "to")
    if end - start > MAX_WINDOW:
        raise invalid("Ask for at most 31 days of the roster at a time.", "to")
    rows = await info.context.db.all(_ROSTER, {"p": project_id, "from": start, "to": end})
    return [DutyShift.from_row(r) for r in rows]


async def dispatch_proposals(info: Info, case_id: UUID) -> list[DispatchProposal]:
    case = await info.context.db.first(_CASE, {"c": case_id})
    if case is None:
        raise not_found("The case", "caseId")
    kind = department_kind_for(case.code)
    on_duty = on_duty_from(await info.context.db.all(ON_DUTY, {"p": case.project_id, "at": datetime.now(UTC)}))
    return [DispatchProposal.of(d, kind) for d in propose(on_duty, kind)]
