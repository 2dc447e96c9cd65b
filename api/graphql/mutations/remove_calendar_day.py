from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.mutations.set_calendar_day import CalendarDaysPayload
from api.graphql.permissions import Requires
from api.graphql.types.sla_policy import calendar_days
from domain.sla import service
from domain.sla.commands import RemoveCalendarDay
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.SLA_MANAGE)], description="删除节假日 Remove a day the company entered.")
@user_errors(CalendarDaysPayload)
async def remove_calendar_day(info: Info, day: date, idempotency_key: IdempotencyKey = None) -> CalendarDaysPayload:
    await service.remove_calendar_day(RemoveCalendarDay(day=day, idempotency_key=idempotency_key), unit_of_work(info))
    return CalendarDaysPayload(days=await calendar_days(info, day.year))
