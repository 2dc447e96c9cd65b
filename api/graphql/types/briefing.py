"""早会 The morning briefing and 接访轮值 the reception rota, as the API shows them."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.case import Case, load_case
from api.graphql.types.handover import ShiftLogEntry
from api.graphql.types.hazard import Hazard
from api.graphql.types.improvement import ImprovementAction
from api.graphql.types.notice import Notice
from api.graphql.types.patrol import PatrolRun
from api.graphql.types.roster import DutyShift
from domain.handover import briefing as model
from domain.reads import Row

_COLOURS = (("red", "红色 Red"), ("orange", "橙色 Orange"), ("yellow", "黄色 Yellow"))


async def _cases(info: Info, ids: list[UUID]) -> list[Case]:
    return [c for c in [await load_case(info, i) for i in ids] if c is not None]


@strawberry.type(description="遗留事项 An open item the night left, with how many handovers it has crossed.")
class BriefingItem:
    entry: ShiftLogEntry
    carries: int = strawberry.field(description="Handovers crossed, the one into the morning's log included.")
    flagged: bool = strawberry.field(description="Carried three times or more: stuck.")


@strawberry.type(description="Open alerts of one colour.")
class AlertColourCount:
    colour: str
    label: str
    count: int


@strawberry.type(description="失约 A promise to a resident broken yesterday: the case and the reason given.")
class BrokenPromise:
    case_id: strawberry.Private[UUID]
    at: datetime
    reason: str | None

    @strawberry.field
    async def case(self, info: Info) -> Case | None:
        return await load_case(info, self.case_id)


@strawberry.type(description="早会 A project's morning briefing for a Beijing day. Each list holds at most 100; each "
                             "count is the whole.")
class MorningBriefing:
    row: strawberry.Private[model.Briefing]
    date: date
    night_from: datetime = strawberry.field(description="The night: 18:00 the day before …")
    night_to: datetime = strawberry.field(description="… to 08:00 (Beijing).")
    night_open_items: list[BriefingItem]
    night_open_item_count: int
    flagged_item_count: int = strawberry.field(description="Open items carried three times or more.")
    received_case_count: int = strawberry.field(description="Cases received since the last day shift ended.")
    overdue_case_count: int
    open_alerts: list[AlertColourCount] = strawberry.field(description="Open alerts by colour, red first.")
    overdue_actions: list[ImprovementAction] = strawberry.field(description="Corrective actions past their due day.")
    overdue_action_count: int
    broken_promises: list[BrokenPromise] = strawberry.field(description="Promises broken yesterday (致歉与补救).")
    broken_promise_count: int
    missed_patrols: list[PatrolRun] = strawberry.field(
        description="漏巡 Patrol runs due to end from yesterday 00:00 to 08:00 today and not walked, earliest first.")
    missed_patrol_count: int
    overdue_hazards: list[Hazard] = strawberry.field(
        description="逾期隐患 Hazards still to put right (open or rectifying) past their deadline now, longest past first.")
    overdue_hazard_count: int
    notices_today: list[Notice] = strawberry.field(
        description="今日通知 Approved notices going out on the day: scheduled for it, or published during it.")
    notice_today_count: int

    @strawberry.field(description="Cases received since the last day shift ended, oldest first.")
    async def received_cases(self, info: Info) -> list[Case]:
        return await _cases(info, [r.id for r in self.row.received])

    @strawberry.field(description="Cases overdue now, longest waiting first.")
    async def overdue_cases(self, info: Info) -> list[Case]:
        return await _cases(info, [r.id for r in self.row.overdue])

    @classmethod
    def of(cls, b: model.Briefing) -> MorningBriefing:
        items = [BriefingItem(entry=ShiftLogEntry.from_row(r), carries=r.carries, flagged=model.flagged(r.carries))
                 for r in b.night_items]
        return cls(row=b, date=b.day, night_from=b.window.night_start, night_to=b.window.night_end, night_open_items=items,
                   night_open_item_count=model.total(b.night_items), flagged_item_count=sum(i.flagged for i in items),
                   received_case_count=model.total(b.received), overdue_case_count=model.total(b.overdue),
                   open_alerts=[AlertColourCount(colour=c, label=label, count=b.alerts.get(c, 0)) for c, label in _COLOURS],
                   overdue_actions=[ImprovementAction.from_row(r) for r in b.actions],
                   overdue_action_count=model.total(b.actions),
                   broken_promises=[BrokenPromise(case_id=r.case_id, at=r.at, reason=r.reason) for r in b.broken],
                   broken_promise_count=model.total(b.broken),
                   missed_patrols=[PatrolRun.from_row(r) for r in b.missed_runs], missed_patrol_count=model.total(b.missed_runs),
                   overdue_hazards=[Hazard.from_row(r) for r in b.hazards], overdue_hazard_count=model.total(b.hazards),
                   notices_today=[Notice.from_row(r) for r in b.notices], notice_today_count=model.total(b.notices))


@strawberry.type(description="接访班次 A manager's reception shift and the front-desk and walk-in cases taken on it.")
class ReceptionShift:
    shift: DutyShift
    case_ids: strawberry.Private[list[UUID]]

    @strawberry.field
    def case_count(self) -> int:
        return len(self.case_ids)

    @strawberry.field
    async def cases(self, info: Info) -> list[Case]:
        return await _cases(info, self.case_ids)

    @classmethod
    def of(cls, row: Row, case_ids: list[UUID]) -> ReceptionShift:
        return cls(shift=DutyShift.from_row(row), case_ids=case_ids)
