from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._knowledge import KnowledgeArticleInput, KnowledgeArticlePayload, article_payload, parse_article_id
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from domain.knowledge import service
from domain.knowledge.commands import ReviseArticle
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.KNOWLEDGE_MANAGE)],
                     description="修订知识条目 A new version of an article; the earlier versions stay as they were.")
@user_errors(KnowledgeArticlePayload)
async def revise_knowledge_article(info: Info, article_id: strawberry.ID, input: KnowledgeArticleInput,
                                   note: str | None = None, idempotency_key: IdempotencyKey = None) -> KnowledgeArticlePayload:
    cmd = ReviseArticle(article_id=parse_article_id(article_id), draft=input.draft(), note=note, idempotency_key=idempotency_key)
    return await article_payload(info, await service.revise_article(cmd, unit_of_work(info)))
