from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import CasePayload, IdempotencyKey, case_payload, changing
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from domain.cases import service
from domain.cases.commands import ApproveDecline
from domain.cases.model import WrittenReply
from tenants.roles import Permission


@strawberry.input(description="书面答复 The written reply a decline needs.")
class WrittenReplyInput:
    reason: str
    basis: str = strawberry.field(description="The rule or contract clause it rests on.")
    alternatives: list[str] = strawberry.field(description="What the resident can do instead, e.g. a moving company at 15:00 for ¥200.")

    def model(self) -> WrittenReply:
        """As sent: the use case keeps the first 20 alternatives."""
        return WrittenReply(self.reason, self.basis, tuple(self.alternatives))


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_SUPERVISE)],
                     description="批准婉拒 A supervisor declines, with a written reply naming alternatives.")
@user_errors(CasePayload)
async def approve_decline(
    info: Info, case_id: strawberry.ID, reply: WrittenReplyInput,
    idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    cmd = ApproveDecline(**changing(info, case_id, idempotency_key), reply=reply.model())
    return await case_payload(info, await service.approve_decline(cmd, unit_of_work(info)))
