"""Root query fields of the call records (docs/centre-day.md §8), joined into `Query`. A project of
another company or out of reach is NOT_FOUND."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from api.context import Info
from api.graphql.permissions import Requires
from api.graphql.reach import required_project_in_reach
from api.graphql.types.calls import CallFigureReport, CallFigures, CallRecord, TelephonyIntegration
from domain.calls import reads
from domain.errors import DomainError, ErrorCode, invalid
from tenants.roles import Permission

MAX_CALL_DAYS, MAX_FIGURE_DAYS, MAX_CALLS = 31, 92, 2000
From = Annotated[date, strawberry.argument(name="from")]


def _span(since: date, until: date | None, most: int) -> date:
    until = until or since
    if until < since or (until - since).days >= most:
        raise invalid(f"日期范围为1–{most}天，且结束不早于开始。The span is 1–{most} days, to not before from.", "to")
    return until


@strawberry.type
class CallQueries:
    @strawberry.field(permission_classes=[Requires(Permission.CALLS_MANAGE)],
                      description="话务对接 A project's telephony integrations, oldest first (their secrets are never shown).")
    async def telephony_integrations(self, info: Info, project_id: strawberry.ID) -> list[TelephonyIntegration]:
        project = await required_project_in_reach(info, project_id)
        if not info.context.require().can(Permission.CALLS_MANAGE, project):
            raise DomainError(ErrorCode.FORBIDDEN, f"您无权管理话务对接。This needs the permission {Permission.CALLS_MANAGE.value} "
                                                   "on the project.")
        return [TelephonyIntegration.from_row(r) for r in await reads.integrations(info.context.db, project)]

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description=f"话务记录 A project's calls queued on the Beijing days from … to (both included, at most "
                                  f"{MAX_CALL_DAYS}), newest first, at most {MAX_CALLS}.")
    async def call_records(self, info: Info, project_id: strawberry.ID, from_: From, to: date | None = None) -> list[CallRecord]:
        project = await required_project_in_reach(info, project_id)
        until = _span(from_, to, MAX_CALL_DAYS)
        rows = await reads.calls(info.context.db, project, since=from_, until=until, limit=MAX_CALLS)
        return [CallRecord.from_row(r) for r in rows]

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description=f"话务指标 A project's inbound call figures (接通率, 三声接听率, 放弃率, 平均等待) per Beijing "
                                  f"day and in total, from … to (both included, at most {MAX_FIGURE_DAYS} days).")
    async def call_figures(self, info: Info, project_id: strawberry.ID, from_: From, to: date | None = None) -> CallFigureReport:
        project = await required_project_in_reach(info, project_id)
        until = _span(from_, to, MAX_FIGURE_DAYS)
        days = [CallFigures.from_row(r) for r in await reads.days(info.context.db, project, since=from_, until=until)]
        return CallFigureReport(total=CallFigures.total(days), days=days)
