from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._improvement import ImprovementActionPayload, action_payload, parse_action_id
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from domain.improvements import service
from domain.improvements.commands import VerifyAction
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.IMPROVEMENT_VERIFY)],
                     description="总部验证 Pass a completed action, or return it with the reason (note) and a new due date.")
@user_errors(ImprovementActionPayload)
async def verify_improvement_action(info: Info, action_id: strawberry.ID, passed: bool, note: str | None = None,
                                    new_due_on: date | None = None,
                                    idempotency_key: IdempotencyKey = None) -> ImprovementActionPayload:
    cmd = VerifyAction(action_id=parse_action_id(action_id), passed=passed, note=note, new_due_on=new_due_on,
                       idempotency_key=idempotency_key)
    return await action_payload(info, await service.verify_action(cmd, unit_of_work(info)))
