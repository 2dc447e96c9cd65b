from __future__ import annotations

from datetime import time

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._reminder import FeeSettingsPayload, settings_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from domain.fees import reminder_service
from domain.fees.reminder_commands import SetFeeSettings
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.FEE_MANAGE)],
                     description="收费设置 A project's quiet hours (Beijing, hours and minutes; the window may cross "
                                 "midnight) and the cap of automatic reminders per flat and month (1–10).")
@user_errors(FeeSettingsPayload)
async def set_fee_settings(info: Info, project_id: strawberry.ID, quiet_from: time, quiet_until: time,
                           reminder_cap_per_month: int, idempotency_key: IdempotencyKey = None) -> FeeSettingsPayload:
    cmd = SetFeeSettings(project_id=from_global_id(project_id, "Project", "projectId"), quiet_from=quiet_from,
                         quiet_until=quiet_until, reminder_cap_per_month=reminder_cap_per_month,
                         idempotency_key=idempotency_key)
    return await settings_payload(info, await reminder_service.set_fee_settings(cmd, unit_of_work(info)))
