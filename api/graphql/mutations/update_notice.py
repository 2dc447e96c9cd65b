from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._notice import NoticeInput, NoticePayload, notice_payload, parse_notice_id
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from domain.notices import service
from domain.notices.commands import UpdateNotice
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.NOTICE_DRAFT)],
                     description="修改通知 Rewrite a draft (one returned to its author too); a submitted notice is not edited.")
@user_errors(NoticePayload)
async def update_notice(info: Info, notice_id: strawberry.ID, input: NoticeInput,
                        idempotency_key: IdempotencyKey = None) -> NoticePayload:
    cmd = UpdateNotice(notice_id=parse_notice_id(notice_id), draft=input.draft(), idempotency_key=idempotency_key)
    return await notice_payload(info, await service.update_notice(cmd, unit_of_work(info)))
