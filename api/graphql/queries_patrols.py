"""Root query fields of patrols (巡查, docs/centre-day.md §2.1), joined into `Query`: a project's
routes with their points and plans, and its runs over a span of Beijing days. A project of
another company or out of reach is NOT_FOUND."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from api.context import Info
from api.graphql.permissions import Requires
from api.graphql.reach import required_project_in_reach
from api.graphql.types.patrol import PatrolRoute, PatrolRun, PatrolRunState
from domain.errors import invalid
from domain.patrols import reads
from tenants.roles import Permission

MAX_DAYS, MAX_RUNS = 31, 1000


@strawberry.type
class PatrolQueries:
    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description="巡查路线 A project's routes by name, each with its points and plans. One: node(id).")
    async def patrol_routes(self, info: Info, project_id: strawberry.ID, include_inactive: bool = False) -> list[PatrolRoute]:
        project = await required_project_in_reach(info, project_id)
        return [PatrolRoute.from_row(r) for r in await reads.routes(info.context.db, project, inactive=include_inactive)]

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description="巡查任务 A project's runs whose window starts on the Beijing days from–to (at most 31 "
                                  "days), by start; runs are made a week ahead. One: node(id).")
    async def patrol_runs(self, info: Info, project_id: strawberry.ID, from_: Annotated[date, strawberry.argument(name="from")],
                          to: date | None = None, state: PatrolRunState | None = None) -> list[PatrolRun]:
        project = await required_project_in_reach(info, project_id)
        until = to or from_
        if until < from_ or (until - from_).days >= MAX_DAYS:
            raise invalid(f"日期范围为1–{MAX_DAYS}天，且结束不早于开始。The span is 1–{MAX_DAYS} days, to not before from.", "to")
        rows = await reads.runs(info.context.db, project, since=from_, until=until, state=state.value if state else None,
                                limit=MAX_RUNS)
        return [PatrolRun.from_row(r) for r in rows]
