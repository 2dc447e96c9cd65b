from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._case_unit import IdempotencyKey, CasePayload, change_case
from api.graphql.permissions import Requires
from domain.cases.model import WrittenReply
from tenants.roles import Permission


@strawberry.input(description="书面答复 The written reply a decline needs.")
class WrittenReplyInput:
    reason: str
    basis: str = strawberry.field(description="The rule or contract clause it rests on.")
    alternatives: list[str] = strawberry.field(description="What the resident can do instead, e.g. a moving company at 15:00 for ¥200.")

    def model(self) -> WrittenReply:
        return WrittenReply(self.reason, self.basis, tuple(self.alternatives[:20]))

    def payload(self) -> dict:
        """What the idempotency key is checked against."""
        return {"reason": self.reason, "basis": self.basis, "alternatives": self.alternatives}


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_SUPERVISE)],
                     description="批准婉拒 A supervisor declines, with a written reply naming alternatives.")
@user_errors(CasePayload)
async def approve_decline(
    info: Info, case_id: strawberry.ID, reply: WrittenReplyInput,
    idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    written = reply.model()
    return await change_case(
        info, case_id=case_id, permission=Permission.CASE_SUPERVISE, operation="approveDecline", idempotency_key=idempotency_key,
        payload=reply.payload(),
        command=lambda case, actor, now: case.approve_decline(written, actor=actor, now=now),
    )
