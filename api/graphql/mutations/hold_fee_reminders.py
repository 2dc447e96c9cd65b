from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._reminder import FeeHoldPayload, hold_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from domain.fees import reminder_service
from domain.fees.reminder_commands import HoldFeeReminders
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.FEE_COLLECT)],
                     description="暂停催缴 Pause a flat's automatic reminders through `until` (at most a year), with "
                                 "the reason (协商中, 诉讼中 …); a flat already held takes the new day and reason.")
@user_errors(FeeHoldPayload)
async def hold_fee_reminders(info: Info, unit_id: strawberry.ID, until: date, reason: str,
                             idempotency_key: IdempotencyKey = None) -> FeeHoldPayload:
    cmd = HoldFeeReminders(unit_id=from_global_id(unit_id, "Unit", "unitId"), until=until, reason=reason,
                           idempotency_key=idempotency_key)
    return await hold_payload(info, await reminder_service.hold_fee_reminders(cmd, unit_of_work(info)))
