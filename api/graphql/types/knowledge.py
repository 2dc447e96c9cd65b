"""统一话术 / 知识库 Knowledge articles as staff read them: the company's wordings for every project
and a project's own, with their versions and how often each was used in the last 90 days."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.node import Node, to_global_id
from api.graphql.types.project import Project
from domain.knowledge import reads
from domain.knowledge.rules import KIND_LABELS
from domain.reads import Row

KnowledgeKind = strawberry.enum(Enum("KnowledgeKind", {k.upper(): k for k in KIND_LABELS}),
                                description="话术 wording, 问答 answer to a common question, 服务项目 a service of the catalogue")


@strawberry.type(description="One version of an article, as it was written; versions never change.")
class KnowledgeVersion:
    version: int
    title: str
    body: str
    note: str | None = strawberry.field(description="修订说明 Why it was revised.")
    by: str
    at: datetime


@strawberry.type(description="知识条目 A standard wording, an answer or a service of the catalogue (with its price). "
                             "The company's (project null) are one wording for every project.")
class KnowledgeArticle(Node):
    row: strawberry.Private[Row]
    kind: KnowledgeKind
    title: str
    body: str = strawberry.field(description="The current version's text, plain with line breaks.")
    version: int
    tags: list[str]
    category_codes: list[str] = strawberry.field(description="The case categories it answers; empty: any.")
    price_fen: int | None = strawberry.field(description="有偿服务 The price in fen (services only).")
    price_unit: str | None = strawberry.field(description="计价单位, e.g. 次, 小时, 平方米.")
    active: bool
    created_by: str
    updated_by: str
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    def kind_label(self) -> str:
        return KIND_LABELS[self.row.kind]

    @strawberry.field(description="The project it belongs to; null: the company's, for every project.")
    async def project(self, info: Info) -> Project | None:
        if self.row.project_id is None:
            return None
        row = await info.context.loaders.project_by_id.load(self.row.project_id)
        return Project.from_row(row) if row else None

    @strawberry.field(description="使用次数 Times used at intake over the last 90 days, in the projects you see.")
    async def uses(self, info: Info) -> int:
        count: int = await info.context.loaders.uses_by_article.load(self.row.id)
        return count

    @strawberry.field(description="Every version, newest first.")
    async def versions(self, info: Info) -> list[KnowledgeVersion]:
        return [KnowledgeVersion(version=v.version, title=v.title, body=v.body, note=v.note, by=v.by, at=v.at)
                for v in await info.context.loaders.versions_by_article.load(self.row.id)]

    @classmethod
    def from_row(cls, r: Row) -> KnowledgeArticle:
        return cls(id=to_global_id("KnowledgeArticle", r.id), row=r, kind=KnowledgeKind(r.kind), title=r.title, body=r.body,
                   version=r.version, tags=list(r.tags), category_codes=list(r.category_codes), price_fen=r.price_fen,
                   price_unit=r.price_unit, active=r.active, created_by=r.created_by, updated_by=r.updated_by,
                   created_at=r.created_at, updated_at=r.updated_at)


async def knowledge_article(info: Info, article_id: UUID) -> KnowledgeArticle | None:
    row = await reads.article(info.context.db, article_id)
    return KnowledgeArticle.from_row(row) if row else None
