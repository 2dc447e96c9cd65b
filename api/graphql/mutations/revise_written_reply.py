from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._case_unit import IdempotencyKey, CasePayload, change_case
from api.graphql.mutations.approve_decline import WrittenReplyInput
from api.graphql.permissions import Requires
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_SUPERVISE)],
                     description="修订书面答复 A new version of a declined case's written reply; earlier versions stay on file.")
@user_errors(CasePayload)
async def revise_written_reply(
    info: Info, case_id: strawberry.ID, reply: WrittenReplyInput,
    idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    written = reply.model()
    return await change_case(
        info, case_id=case_id, permission=Permission.CASE_SUPERVISE, operation="reviseWrittenReply",
        idempotency_key=idempotency_key,
        payload=reply.payload(),
        command=lambda case, actor, now: case.revise_written_reply(written, actor=actor, now=now),
    )
