from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._improvement import ImprovementActionPayload, action_payload, parse_action_id
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from domain.improvements import service
from domain.improvements.commands import CompleteAction
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.PROJECT_READ)],
                     description="整改完成 The owner (or the project's managers) says what was done, with up to nine https:// "
                                 "links as evidence; it waits for headquarters' verification.")
@user_errors(ImprovementActionPayload)
async def complete_improvement_action(info: Info, action_id: strawberry.ID, evidence_note: str,
                                      evidence_files: list[str] | None = None,
                                      idempotency_key: IdempotencyKey = None) -> ImprovementActionPayload:
    cmd = CompleteAction(action_id=parse_action_id(action_id), evidence_note=evidence_note,
                         evidence_files=tuple(evidence_files or ()), idempotency_key=idempotency_key)
    return await action_payload(info, await service.complete_action(cmd, unit_of_work(info)))
