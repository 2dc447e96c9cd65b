from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._reminder import FeeReminderPayload, reminder_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.fee_reminders import ReminderWayType
from api.graphql.types.node import from_global_id
from domain.fees import reminder_service
from domain.fees.reminder_commands import RecordFeeReminder
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.FEE_COLLECT)],
                     description="记录催缴 A reminder made by a person (PHONE, VISIT or LETTER): a record in the flat's "
                                 "history with what it owed that day; it counts toward no cap.")
@user_errors(FeeReminderPayload)
async def record_fee_reminder(info: Info, unit_id: strawberry.ID, way: ReminderWayType, note: str = "",  # type: ignore[valid-type]
                              idempotency_key: IdempotencyKey = None) -> FeeReminderPayload:
    cmd = RecordFeeReminder(unit_id=from_global_id(unit_id, "Unit", "unitId"), way=way, note=note,
                            idempotency_key=idempotency_key)
    return await reminder_payload(info, await reminder_service.record_fee_reminder(cmd, unit_of_work(info)))
