from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._notice import NoticePayload, notice_payload, parse_notice_id
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from domain.notices import service
from domain.notices.commands import WithdrawNotice
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.NOTICE_PUBLISH)],
                     description="撤回 Withdraw a scheduled or published notice, saying why: hidden at once, its channels told, "
                                 "nothing more sent about it.")
@user_errors(NoticePayload)
async def withdraw_notice(info: Info, notice_id: strawberry.ID, reason: str, idempotency_key: IdempotencyKey = None) -> NoticePayload:
    cmd = WithdrawNotice(notice_id=parse_notice_id(notice_id), reason=reason, idempotency_key=idempotency_key)
    return await notice_payload(info, await service.withdraw_notice(cmd, unit_of_work(info)))
