from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import CasePayload, IdempotencyKey, case_payload, changing
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.mutations.approve_decline import WrittenReplyInput
from api.graphql.permissions import Requires
from domain.cases import service
from domain.cases.commands import ReviseWrittenReply
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_SUPERVISE)],
                     description="修订书面答复 A new version of a declined case's written reply; earlier versions stay on file.")
@user_errors(CasePayload)
async def revise_written_reply(
    info: Info, case_id: strawberry.ID, reply: WrittenReplyInput,
    idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    cmd = ReviseWrittenReply(**changing(info, case_id, idempotency_key), reply=reply.model())
    return await case_payload(info, await service.revise_written_reply(cmd, unit_of_work(info)))
