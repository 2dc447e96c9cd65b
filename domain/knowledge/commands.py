from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.knowledge.rules import ArticleDraft


@dataclass(frozen=True, slots=True)
class CreateArticle:
    project_id: UUID | None  # None: the company's, for every project
    kind: str
    draft: ArticleDraft
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class ReviseArticle:
    article_id: UUID
    draft: ArticleDraft
    note: str | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class SetArticleActive:
    article_id: UUID
    active: bool
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class UseArticle:
    article_id: UUID
    project_id: UUID
    idempotency_key: str | None = None
