from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.sla_policy import CalendarDay, calendar_days
from domain.sla import service
from domain.sla.commands import SetCalendarDay
from tenants.roles import Permission


@strawberry.type
class CalendarDaysPayload:
    days: list[CalendarDay] | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.SLA_MANAGE)],
                     description="录入节假日 A holiday (working: false) or make-up working day (true) for the whole company.")
@user_errors(CalendarDaysPayload)
async def set_calendar_day(info: Info, day: date, working: bool, name: str, idempotency_key: IdempotencyKey = None) -> CalendarDaysPayload:
    cmd = SetCalendarDay(day=day, working=working, name=name, idempotency_key=idempotency_key)
    await service.set_calendar_day(cmd, unit_of_work(info))
    return CalendarDaysPayload(days=await calendar_days(info, day.year))
