from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._knowledge import KnowledgeArticlePayload, article_payload, parse_article_id
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from domain.knowledge import service
from domain.knowledge.commands import SetArticleActive
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.KNOWLEDGE_MANAGE)],
                     description="停用 / 启用 An inactive article keeps its versions but is no longer found at intake.")
@user_errors(KnowledgeArticlePayload)
async def set_knowledge_article_active(info: Info, article_id: strawberry.ID, active: bool,
                                       idempotency_key: IdempotencyKey = None) -> KnowledgeArticlePayload:
    cmd = SetArticleActive(article_id=parse_article_id(article_id), active=active, idempotency_key=idempotency_key)
    return await article_payload(info, await service.set_article_active(cmd, unit_of_work(info)))
