"""值班表 The duty roster as the API shows it, and the dispatch proposal built from it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import Enum
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.node import Node, to_global_id
from api.graphql.types.project import Department
from api.graphql.types.viewer import User
from domain.errors import invalid, not_found
from domain.reads import Row
from domain.roster import reads
from domain.roster.model import OnDuty, department_kind_for, propose

MAX_WINDOW = timedelta(days=31)


@strawberry.enum(description="派单值班 dispatch (takes cases by department) or 接访值班 reception (a manager at the front desk)")
class ShiftKind(Enum):
    DISPATCH = "dispatch"
    RECEPTION = "reception"


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
    kind: ShiftKind

    user = strawberry.field(resolver=_user)
    department = strawberry.field(resolver=_department)

    @classmethod
    def from_row(cls, row: Row) -> DutyShift:
        return cls(id=to_global_id("DutyShift", row.id), user_id=row.user_id, department_id=row.department_id,
                   starts_at=row.starts_at, ends_at=row.ends_at, kind=ShiftKind(row.kind))


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


def check_window(start: datetime, end: datetime) -> None:
    if end <= start:
        raise invalid("结束时间须晚于开始时间。`to` must be after `from`.", "to")
    if end - start > MAX_WINDOW:
        raise invalid("值班表每次最多查询 31 天。Ask for at most 31 days of the roster at a time.", "to")


async def duty_roster(info: Info, project_id: UUID, start: datetime, end: datetime) -> list[DutyShift]:
    check_window(start, end)
    rows = await reads.shifts(info.context.db, project_id, start, end)
    return [DutyShift.from_row(r) for r in rows]


async def dispatch_proposals(info: Info, case_id: UUID) -> list[DispatchProposal]:
    case = await reads.case_to_dispatch(info.context.db, case_id)
    if case is None:
        raise not_found("The case", "caseId", zh="工单")
    kind = department_kind_for(case.code)
    on_duty = await reads.on_duty(info.context.db, case.project_id, datetime.now(UTC))
    return [DispatchProposal.of(d, kind) for d in propose(on_duty, kind)]
