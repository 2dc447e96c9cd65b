from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._notice import NoticePayload, notice_payload, parse_notice_id
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from domain.notices import service
from domain.notices.commands import ReturnNotice
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.NOTICE_PUBLISH)],
                     description="退回 Return a pending notice to its author as a draft, saying why.")
@user_errors(NoticePayload)
async def return_notice(info: Info, notice_id: strawberry.ID, note: str, idempotency_key: IdempotencyKey = None) -> NoticePayload:
    cmd = ReturnNotice(notice_id=parse_notice_id(notice_id), note=note, idempotency_key=idempotency_key)
    return await notice_payload(info, await service.return_notice(cmd, unit_of_work(info)))
