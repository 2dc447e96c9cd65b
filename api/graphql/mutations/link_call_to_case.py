from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._telephony import CallRecordPayload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.calls import call_record
from api.graphql.types.node import from_global_id
from domain.calls import integrations
from domain.calls.commands import LinkCallToCase
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_FOLLOW_UP)],
                     description="关联工单 Link a call to the case registered for it afterwards (a case of the call's project).")
@user_errors(CallRecordPayload)
async def link_call_to_case(info: Info, call_id: strawberry.ID, case_id: strawberry.ID,
                            idempotency_key: IdempotencyKey = None) -> CallRecordPayload:
    cmd = LinkCallToCase(call_id=from_global_id(call_id, "CallRecord", "callId"), case_id=from_global_id(case_id, "Case", "caseId"),
                         idempotency_key=idempotency_key)
    made = await integrations.link_call_to_case(cmd, unit_of_work(info))
    return CallRecordPayload(call=await call_record(info, made))
