from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.caller_lookup import RevealFieldType
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from domain.archive import reveal_service
from domain.archive.reveal import RevealField
from tenants.roles import Permission


@strawberry.type
class RevealResidentDataPayload:
    value: str | None = strawberry.field(default=None, description="The full value, shown once; null when none is on "
                                                                   "file or the idempotency key was used before.")
    replayed: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(
    # The rule is in the service: personal_data:read on the resident's project, or the assignee of
    # an open case they reported (technicians hold no personal_data:read, yet must call).
    permission_classes=[Requires(Permission.CASE_READ)],
    description="显示 Show a resident's full phone or ID number, with a reason (2–200 characters). Needs "
                "personal_data:read on their project, or (phone only) caseId of an open case they reported that is "
                "assigned to you. At most 30 an hour per person; recorded in the audit log (personalDataReveals).",
)
@user_errors(RevealResidentDataPayload)
async def reveal_resident_data(info: Info, resident_id: strawberry.ID, field: RevealFieldType, reason: str,
                               case_id: strawberry.ID | None = None,
                               idempotency_key: IdempotencyKey = None) -> RevealResidentDataPayload:
    cmd = reveal_service.RevealResidentData(
        resident_id=from_global_id(resident_id, "Resident", "residentId"), field=RevealField(field.value), reason=reason,
        case_id=from_global_id(case_id, "Case", "caseId") if case_id else None, idempotency_key=idempotency_key)
    done = await reveal_service.reveal_resident_data(cmd, unit_of_work(info), unseal=info.context.platform.cipher.decrypt)
    return RevealResidentDataPayload(value=done.value, replayed=done.replayed)
