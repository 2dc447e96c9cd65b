from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._knowledge import KnowledgeArticlePayload, article_payload, parse_article_id
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from domain.knowledge import service
from domain.knowledge.commands import UseArticle
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_CREATE)],
                     description="使用话术 Count that an agent of this project took this article at intake (its uses).")
@user_errors(KnowledgeArticlePayload)
async def use_knowledge_article(info: Info, article_id: strawberry.ID, project_id: strawberry.ID,
                                idempotency_key: IdempotencyKey = None) -> KnowledgeArticlePayload:
    cmd = UseArticle(article_id=parse_article_id(article_id), project_id=from_global_id(project_id, "Project", "projectId"),
                     idempotency_key=idempotency_key)
    return await article_payload(info, await service.use_article(cmd, unit_of_work(info)))
