from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.mutations.set_calendar_day import CalendarDaysPayload
from api.graphql.permissions import Requires
from api.graphql.types.sla_policy import calendar_days
from domain.sla import admin
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.SLA_MANAGE)], description="删除节假日 Remove a day the company entered.")
@user_errors(CalendarDaysPayload)
async def remove_calendar_day(info: Info, day: date, idempotency_key: IdempotencyKey = None) -> CalendarDaysPayload:
    require_on(info, Permission.SLA_MANAGE, None)
    p = info.context.require()

    async def work(conn) -> dict:
        await admin.remove_calendar_day(conn, org_id=p.org_id, day=day, actor=p.actor)
        return {"ok": True}

    await write(info, lambda conn: once(info, conn, idempotency_key, "removeCalendarDay", {"day": day.isoformat()}, work))
    return CalendarDaysPayload(days=await calendar_days(info, day.year))
