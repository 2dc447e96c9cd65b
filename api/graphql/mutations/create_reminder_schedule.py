from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._reminder import ReminderScheduleInput, ReminderSchedulePayload, schedule_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from domain.fees import reminder_service
from domain.fees.reminder_commands import CreateReminderSchedule
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.FEE_MANAGE)],
                     description="新建催缴计划 A schedule of automatic reminders (name, minOverdueDays and everyDays "
                                 "required).")
@user_errors(ReminderSchedulePayload)
async def create_reminder_schedule(info: Info, project_id: strawberry.ID, input: ReminderScheduleInput,
                                   idempotency_key: IdempotencyKey = None) -> ReminderSchedulePayload:
    cmd = CreateReminderSchedule(project_id=from_global_id(project_id, "Project", "projectId"), values=input.values(),
                                 idempotency_key=idempotency_key)
    return await schedule_payload(info, await reminder_service.create_reminder_schedule(cmd, unit_of_work(info)))
