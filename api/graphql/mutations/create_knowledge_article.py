from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._knowledge import KnowledgeArticleInput, KnowledgeArticlePayload, article_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.knowledge import KnowledgeKind
from api.graphql.types.node import from_global_id
from domain.knowledge import service
from domain.knowledge.commands import CreateArticle
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.KNOWLEDGE_MANAGE)],
                     description="新增知识条目 Write a wording, an answer or a service: without projectId the company's "
                                 "(knowledge:manage company-wide), with it that project's own.")
@user_errors(KnowledgeArticlePayload)
async def create_knowledge_article(info: Info, kind: KnowledgeKind, input: KnowledgeArticleInput,
                                   project_id: strawberry.ID | None = None,
                                   idempotency_key: IdempotencyKey = None) -> KnowledgeArticlePayload:
    project = from_global_id(project_id, "Project", "projectId") if project_id else None
    cmd = CreateArticle(project_id=project, kind=kind.value, draft=input.draft(), idempotency_key=idempotency_key)
    return await article_payload(info, await service.create_article(cmd, unit_of_work(info)))
