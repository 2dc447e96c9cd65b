from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._notice import NoticePayload, notice_payload, parse_notice_id
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from domain.notices import service
from domain.notices.commands import NoticeStep
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.NOTICE_DRAFT)],
                     description="提交审核 Send a draft for approval; it is not edited after this.")
@user_errors(NoticePayload)
async def submit_notice(info: Info, notice_id: strawberry.ID, idempotency_key: IdempotencyKey = None) -> NoticePayload:
    cmd = NoticeStep(notice_id=parse_notice_id(notice_id), idempotency_key=idempotency_key)
    return await notice_payload(info, await service.submit_notice(cmd, unit_of_work(info)))
