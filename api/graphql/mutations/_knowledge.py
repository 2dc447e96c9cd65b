"""What the knowledge mutations share: the input an article is written in, and the payload."""

from __future__ import annotations

from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.errors import UserError
from api.graphql.types.knowledge import KnowledgeArticle, knowledge_article
from api.graphql.types.node import from_global_id
from domain.knowledge.rules import ArticleDraft


@strawberry.input(description="知识条目 What an article says, what it is found by, and a service's price.")
class KnowledgeArticleInput:
    title: str = strawberry.field(description="1–100 characters")
    body: str = strawberry.field(description="Plain text with line breaks, 1–10,000 characters: the wording word for word.")
    tags: list[str] = strawberry.field(default_factory=list, description="At most 10, up to 20 characters each; searched.")
    category_codes: list[str] = strawberry.field(default_factory=list,
                                                 description="Case category codes it answers (caseCategories); at most 10.")
    price_fen: int | None = strawberry.field(default=None, description="有偿服务 Services only: the price in fen.")
    price_unit: str | None = strawberry.field(default=None, description="Services only: 次, 小时, 平方米 …")

    def draft(self) -> ArticleDraft:
        return ArticleDraft(title=self.title, body=self.body, tags=tuple(self.tags), category_codes=tuple(self.category_codes),
                            price_fen=self.price_fen, price_unit=self.price_unit)


@strawberry.type
class KnowledgeArticlePayload:
    article: KnowledgeArticle | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def article_payload(info: Info, article_id: UUID) -> KnowledgeArticlePayload:
    return KnowledgeArticlePayload(article=await knowledge_article(info, article_id))


def parse_article_id(value: strawberry.ID) -> UUID:
    return from_global_id(value, "KnowledgeArticle", "articleId")
