"""Knowledge articles in PostgreSQL, in the caller's unit of work. Reads run under the caller's
row-level security, so another company's article (or another project's) is simply not found."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.errors import invalid, not_found
from domain.knowledge.model import Article
from domain.knowledge.rules import ArticleDraft
from domain.unit_of_work import UnitOfWork

_COLUMNS = "id, org_id, project_id, kind, title, version, active"
_SEARCH_TEXT = "CAST(:title AS text) || ' ' || array_to_string(CAST(:tags AS text[]), ' ') || ' ' || CAST(:body AS text)"
_LOCKED = text(f"SELECT {_COLUMNS} FROM knowledge_articles WHERE org_id = :o AND id = :id FOR UPDATE")
_ONE = text(f"SELECT {_COLUMNS} FROM knowledge_articles WHERE org_id = :o AND id = :id")
_INSERT = text(
    "INSERT INTO knowledge_articles (org_id, project_id, kind, title, body, tags, category_codes, price_fen, price_unit, "
    "created_by, updated_by, search_text) VALUES (:o, :p, :kind, :title, :body, CAST(:tags AS text[]), CAST(:codes AS text[]), "
    f":price, :unit, :actor, :actor, {_SEARCH_TEXT}) RETURNING {_COLUMNS}"
)
_REVISE = text(
    "UPDATE knowledge_articles SET title = :title, body = :body, tags = CAST(:tags AS text[]), "
    "category_codes = CAST(:codes AS text[]), price_fen = :price, price_unit = :unit, version = :version, "
    f"updated_by = :actor, updated_at = now(), search_text = {_SEARCH_TEXT} WHERE org_id = :o AND id = :id"
)
_VERSION = text(
    "INSERT INTO knowledge_versions (org_id, project_id, article_id, version, title, body, note, by) "
    "VALUES (:o, :p, :id, :version, :title, :body, :note, :actor)"
)
_ACTIVE = text("UPDATE knowledge_articles SET active = :active, updated_by = :actor, updated_at = now() WHERE org_id = :o AND id = :id")
_CODES_FOUND = text("SELECT count(*) FROM case_categories WHERE org_id = :o AND code = ANY(CAST(:codes AS text[]))")
# One row per article, project and Beijing day: a busy intake desk adds to it, never a row per use.
_USE = text(
    "INSERT INTO knowledge_uses (org_id, project_id, article_id, day) "
    "VALUES (:o, :p, :id, (now() AT TIME ZONE 'Asia/Shanghai')::date) "
    "ON CONFLICT (org_id, project_id, article_id, day) DO UPDATE SET uses = knowledge_uses.uses + 1"
)


def _from_row(r: Any) -> Article:
    return Article(id=r.id, org_id=r.org_id, project_id=r.project_id, kind=r.kind, title=r.title, version=r.version,
                   active=r.active)


def _values(draft: ArticleDraft) -> dict[str, Any]:
    return {"title": draft.title, "body": draft.body, "tags": list(draft.tags), "codes": list(draft.category_codes),
            "price": draft.price_fen, "unit": draft.price_unit}


async def _check_codes(uow: UnitOfWork, draft: ArticleDraft) -> None:
    codes = list(draft.category_codes)
    if codes and (await uow.conn.execute(_CODES_FOUND, {"o": uow.org_id, "codes": codes})).scalar_one() != len(codes):
        raise invalid("有类别编码不存在。A category code is not one of the company's case categories.", "categoryCodes")


async def locked(uow: UnitOfWork, article_id: UUID) -> Article:
    row = (await uow.conn.execute(_LOCKED, {"o": uow.org_id, "id": article_id})).first()
    if row is None:
        raise not_found("The knowledge article", "articleId", zh="知识条目")
    article = _from_row(row)
    uow.track(article)
    return article


async def visible(uow: UnitOfWork, article_id: UUID) -> Article:
    """Read, not locked: counting a use changes no article, so uses at many desks never wait on each other."""
    row = (await uow.conn.execute(_ONE, {"o": uow.org_id, "id": article_id})).first()
    if row is None:
        raise not_found("The knowledge article", "articleId", zh="知识条目")
    return _from_row(row)


async def insert(uow: UnitOfWork, *, project_id: UUID | None, kind: str, draft: ArticleDraft) -> Article:
    await _check_codes(uow, draft)
    row = (await uow.conn.execute(_INSERT, {"o": uow.org_id, "p": project_id, "kind": kind, "actor": uow.actor,
                                            **_values(draft)})).one()
    article = _from_row(row)
    await uow.conn.execute(_VERSION, {"o": uow.org_id, "p": project_id, "id": article.id, "version": 1, "title": draft.title,
                                      "body": draft.body, "note": None, "actor": uow.actor})
    uow.track(article)
    article.created()
    return article


async def revise(uow: UnitOfWork, article: Article, draft: ArticleDraft, note: str | None) -> None:
    await _check_codes(uow, draft)
    article.revise(draft, note)
    await uow.conn.execute(_REVISE, {"o": uow.org_id, "id": article.id, "version": article.version, "actor": uow.actor, **_values(draft)})
    await uow.conn.execute(_VERSION, {"o": uow.org_id, "p": article.project_id, "id": article.id, "version": article.version,
                                      "title": draft.title, "body": draft.body, "note": note, "actor": uow.actor})


async def save_active(uow: UnitOfWork, article: Article) -> None:
    await uow.conn.execute(_ACTIVE, {"o": uow.org_id, "id": article.id, "active": article.active, "actor": uow.actor})


async def count_use(uow: UnitOfWork, article: Article, project_id: UUID) -> None:
    await uow.conn.execute(_USE, {"o": uow.org_id, "p": project_id, "id": article.id})
