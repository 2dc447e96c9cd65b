"""Root query fields of the reception rota and the shift handover (docs/centre-day.md §3, §4),
joined into `Query`. A project of another company or out of reach is NOT_FOUND."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry

from api.context import Info
from api.graphql.permissions import Requires
from api.graphql.reach import required_project_in_reach
from api.graphql.types.archive import after_id, connection
from api.graphql.types.briefing import MorningBriefing, ReceptionShift
from api.graphql.types.handover import ShiftLog, ShiftLogState, shift_log
from api.graphql.types.node import Connection, from_global_id, page_size
from api.graphql.types.roster import check_window
from domain.handover import briefing, reads
from domain.roster import reception
from tenants.roles import Permission


@strawberry.type
class HandoverQueries:
    @strawberry.field(permission_classes=[Requires(Permission.STAFF_READ)],
                      description="接访轮值 A project's reception shifts overlapping [from, to) (at most 31 days), each "
                                  "with the front-desk and walk-in cases taken on it.")
    async def reception_rota(self, info: Info, project_id: strawberry.ID, from_: Annotated[datetime, strawberry.argument(name="from")],
                             to: datetime) -> list[ReceptionShift]:
        project = await required_project_in_reach(info, project_id)
        check_window(from_, to)
        rows = await reception.rota(info.context.db, project, from_, to)
        cases = await reception.cases_by_shift(info.context.db, [r.id for r in rows])
        return [ReceptionShift.of(r, cases[r.id]) for r in rows]

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description="值班日志 A project's shift logs, newest shift first; with departmentId one department's, "
                                  "with serviceCentre the service centre's own. One log: shiftLog(id) or node(id).")
    async def shift_logs(self, info: Info, project_id: strawberry.ID, department_id: strawberry.ID | None = None,
                         service_centre: bool = False, state: ShiftLogState | None = None, first: int | None = 20,
                         after: str | None = None) -> Connection[ShiftLog]:
        project = await required_project_in_reach(info, project_id)
        department = from_global_id(department_id, "Department", "departmentId") if department_id else None
        limit = page_size(first, 20)
        rows = await reads.log_page(info.context.db, project, department=(service_centre or department is not None, department),
                                    state=state.value if state else None, after=after_id(after), limit=limit + 1)
        return connection(rows, limit, ShiftLog.from_row)

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)], description="值班日志 One shift log.")
    async def shift_log(self, info: Info, id: strawberry.ID) -> ShiftLog | None:
        return await shift_log(info, from_global_id(id, "ShiftLog", "id"))

    @strawberry.field(permission_classes=[Requires(Permission.CASE_READ)],
                      description="早会 A project's morning briefing for a Beijing day: the night's open items (those "
                                  "carried three times flagged), cases received since the last day shift ended, cases "
                                  "overdue now, open alerts by colour, overdue corrective actions, promises broken the "
                                  "day before, patrols missed yesterday and overnight, hazards past their deadline, "
                                  "notices going out on the day.")
    async def morning_briefing(self, info: Info, project_id: strawberry.ID, date: date) -> MorningBriefing:
        project = await required_project_in_reach(info, project_id)
        return MorningBriefing.of(await briefing.morning_briefing(info.context.db, project, date))
