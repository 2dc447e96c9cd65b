"""量化考核 People's figures (docs/centre-day.md §7): a project's month per person and per
department, and its costs per household and per head."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.fee_scalars import Fen
from api.graphql.types.node import to_global_id
from api.graphql.types.viewer import User
from domain.kpi.people_rollups import PERSON_COUNTS
from domain.reads import Row


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@strawberry.type(description="The counts of a month's cases (the Beijing month they were received in).")
class PeopleCounts:
    first_received: int = strawberry.field(description="首问 Cases the person took first.")
    taken_at_reception: int = strawberry.field(description="接访 Front-desk and walk-in cases taken on their reception duty.")
    handled: int = strawberry.field(description="处理 Cases they handled (the last to accept).")
    resolved: int = strawberry.field(description="办结 Handled cases resolved, confirmed or closed.")
    resolved_on_time: int = strawberry.field(description="按时办结 Resolved within the last resolution target, no promise broken.")
    visited: int = strawberry.field(description="回访 Handled cases with the resident's return-visit verdict.")
    satisfied: int
    basically_satisfied: int
    dissatisfied: int
    broken_promises: int = strawberry.field(description="失约 Promises broken on the handled cases.")
    rework: int = strawberry.field(description="返工 Handled cases reopened at least once.")
    visits_done: int = strawberry.field(description="回访次数 Return visits the person made.")
    praise: int = strawberry.field(description="表扬 Praise cases naming the person (registerCase praisedUserIds).")
    staff_visits: int = strawberry.field(description="投诉回访员工 Return visits the person received after a complaint "
                                                     "about them (recordStaffVisit).")
    staff_visits_acknowledged: int = strawberry.field(description="已认识问题 Of those, the person acknowledged the problem.")
    staff_visits_disputed: int = strawberry.field(description="有异议 Of those, the person disputed the complaint.")
    staff_visits_coached: int = strawberry.field(description="已辅导 Of those, the person was coached.")

    @strawberry.field(description="解决率 resolved / handled; null with nothing handled.")
    def resolution_rate(self) -> float | None:
        return _rate(self.resolved, self.handled)

    @strawberry.field(description="按时办结率 resolvedOnTime / resolved.")
    def on_time_rate(self) -> float | None:
        return _rate(self.resolved_on_time, self.resolved)

    @strawberry.field(description="满意率 (satisfied + basicallySatisfied) / visited.")
    def satisfaction_rate(self) -> float | None:
        return _rate(self.satisfied + self.basically_satisfied, self.visited)

    @strawberry.field(description="返工率 rework / handled.")
    def rework_rate(self) -> float | None:
        return _rate(self.rework, self.handled)


def _counts(r: Row) -> dict[str, Any]:
    return {c: int(getattr(r, c)) for c in PERSON_COUNTS}


@strawberry.type(description="个人考核 One person's month in a project.")
class PersonFigures(PeopleCounts):
    user_id: strawberry.Private[UUID]

    @strawberry.field(description="The person; null for an actor that is not a user (an integrator's key).")
    async def user(self, info: Info) -> User | None:
        row = await info.context.loaders.user_by_id.load(self.user_id)
        return User.from_row(row) if row else None

    @classmethod
    def of(cls, r: Row) -> PersonFigures:
        return cls(user_id=r.user_id, **_counts(r))


@strawberry.type(description="部门考核 A department's month: the sums over the cases its people handled for it (the "
                             "department a case was registered to), and the praise and staff return visits of its "
                             "people (their staff record's department); first-receiver, reception and visit counts "
                             "are a person's, not a department's, and are 0 here.")
class DepartmentFigures(PeopleCounts):
    department_id: strawberry.ID
    department_name: str
    people: int = strawberry.field(description="The people who handled its cases in the month, were praised or were "
                                               "visited after a complaint.")

    @classmethod
    def of(cls, r: Row) -> DepartmentFigures:
        return cls(department_id=strawberry.ID(to_global_id("Department", r.department_id)), department_name=r.name,
                   people=int(r.people), **_counts(r))


@strawberry.type(description="人员与成本 A project's month of headcount and costs; the figures are null until the "
                             "month is entered (setProjectStaffing) or with no households.")
class ProjectCosts:
    month: date
    households: int = strawberry.field(description="The project's households, as the KPIs count them.")
    headcount: int | None
    labour_cost_fen: Fen | None  # type: ignore[valid-type]
    other_cost_fen: Fen | None  # type: ignore[valid-type]
    entered_by: str | None
    entered_at: datetime | None

    @strawberry.field(description="户均成本 (labour + other) / households, fen per household for the month.")
    def cost_per_household_fen(self) -> float | None:
        if self.labour_cost_fen is None or self.other_cost_fen is None:
            return None
        return _rate(self.labour_cost_fen + self.other_cost_fen, self.households)

    @strawberry.field(description="人均服务户数 households / headcount.")
    def households_per_head(self) -> float | None:
        return _rate(self.households, self.headcount) if self.headcount is not None else None

    @classmethod
    def of(cls, month: date, r: Row) -> ProjectCosts:
        return cls(month=month, households=r.households, headcount=r.headcount, labour_cost_fen=r.labour_cost_fen,
                   other_cost_fen=r.other_cost_fen, entered_by=r.by, entered_at=r.at)
