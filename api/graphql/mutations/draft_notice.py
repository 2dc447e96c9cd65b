from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._notice import NoticeInput, NoticePayload, notice_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from domain.notices import service
from domain.notices.commands import DraftNotice
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.NOTICE_DRAFT)],
                     description="起草通知 Draft a notice to a project's residents; submitNotice sends it for approval.")
@user_errors(NoticePayload)
async def draft_notice(info: Info, project_id: strawberry.ID, input: NoticeInput,
                       idempotency_key: IdempotencyKey = None) -> NoticePayload:
    cmd = DraftNotice(project_id=from_global_id(project_id, "Project", "projectId"), draft=input.draft(),
                      idempotency_key=idempotency_key)
    return await notice_payload(info, await service.draft_notice(cmd, unit_of_work(info)))
