"""The SLA set-up as the API shows it — policy matrix, ladder, calendar days — and the HQ list of
overdue cases."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.actor import Actor, actor_of
from api.graphql.types.case import Case, CaseKindType, SeverityType
from domain.cases.states import CaseKind, Severity
from domain.errors import invalid
from domain.sla import reads
from domain.sla.calendar import ClockKind
from domain.sla.status import TARGET_LABELS

SlaClock = strawberry.enum(ClockKind, name="SlaClock", description="计时方式 24/7, working hours, or working days.")


@strawberry.type(description="时效标准 One cell of the policy matrix.")
class SlaPolicy:
    kind: CaseKindType
    severity: SeverityType
    clock: SlaClock
    commit_minutes: int
    arrive_minutes: int
    resolve_minutes: int
    visit_minutes: int
    overridden: bool = strawberry.field(description="The project's own value rather than the company default.")
    updated_at: datetime
    updated_by: str = strawberry.field(description="user:<id>, api_key:<id> or system", deprecation_reason="Use updater.")

    @strawberry.field(description="修改人 Who last changed the cell (the system for a default never changed).")
    async def updater(self, info: Info) -> Actor:
        return await actor_of(info, self.updated_by)


@strawberry.type(description="升级阶梯 Percent of a target at which each level fires.")
class EscalationLadder:
    remind_percent: int
    l1_percent: int
    l2_percent: int
    l3_percent: int


@strawberry.type(description="节假日/调休 A day the company entered.")
class CalendarDay:
    day: date
    working: bool
    name: str


@strawberry.type(description="超时工单 An overdue case (see Case.overdue) and the target it is longest past.")
class OverdueCase:
    case: Case
    target: str
    due_at: datetime = strawberry.field(description="The deadline passed — or, for a broken promise, when it was broken.")
    overdue_minutes: int = strawberry.field(description="Since dueAt.")

    @strawberry.field
    def target_label(self) -> str:
        return TARGET_LABELS[self.target]


async def sla_policies(info: Info, project_id: UUID | None) -> list[SlaPolicy]:
    rows = await reads.policies(info.context.db, project_id)
    return [SlaPolicy(kind=CaseKind(r.kind), severity=Severity(r.severity), clock=ClockKind(r.clock),
                      commit_minutes=r.commit_minutes, arrive_minutes=r.arrive_minutes, resolve_minutes=r.resolve_minutes,
                      visit_minutes=r.visit_minutes, overridden=r.overridden, updated_at=r.updated_at, updated_by=r.updated_by)
            for r in rows]


async def escalation_ladder(info: Info) -> EscalationLadder:
    row = await reads.ladder(info.context.db)
    values = (row.remind_pct, row.l1_pct, row.l2_pct, row.l3_pct) if row else (80, 100, 150, 200)
    return EscalationLadder(**dict(zip(("remind_percent", "l1_percent", "l2_percent", "l3_percent"), values, strict=True)))


async def calendar_days(info: Info, year: int) -> list[CalendarDay]:
    if not 2000 <= year <= 2100:
        raise invalid("年份须在 2000 到 2100 之间。year must be between 2000 and 2100.", "year")
    rows = await reads.calendar_days(info.context.db, date(year, 1, 1), date(year, 12, 31))
    return [CalendarDay(day=r.day, working=r.working, name=r.name) for r in rows]


async def calendar_gaps(info: Info) -> list[int]:
    return await reads.calendar_gaps(info.context.db)


async def overdue_cases(info: Info, project_id: UUID | None, first: int) -> list[OverdueCase]:
    if not 1 <= first <= 200:
        raise invalid("数量 first 须在 1 到 200 之间。first must be between 1 and 200.", "first")
    rows = await reads.overdue_cases(info.context.db, project_id, first)
    cases = await info.context.loaders.case_by_id.load_many([r.case_id for r in rows])
    now = datetime.now(UTC)
    return [OverdueCase(case=Case.from_row(c), target=r.target, due_at=r.since,
                        overdue_minutes=int((now - r.since).total_seconds() // 60))
            for r, c in zip(rows, cases, strict=True) if c is not None]
