"""知识库 as staff read it: the search at intake, the list to manage, one article with its
versions and how often it was used. Under the caller's row-level security: the company's articles
and those of the projects the caller may see."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text

from domain.reads import Reader

ARTICLE_COLUMNS = ("a.id, a.project_id, a.kind, a.title, a.body, a.version, a.tags, a.category_codes, a.price_fen, "
                   "a.price_unit, a.active, a.created_by, a.updated_by, a.created_at, a.updated_at")
# The company's and the named project's: headquarters, who sees every project, searches as that project's desk.
_IN_PROJECT = "(a.project_id IS NULL OR a.project_id = :p)"
_USES_90 = ("(SELECT coalesce(sum(x.uses), 0) FROM knowledge_uses x WHERE x.org_id = a.org_id AND x.article_id = a.id "
            "AND x.project_id = :p AND x.day > (now() AT TIME ZONE 'Asia/Shanghai')::date - 90)")
# Every word somewhere in the title, tags or body (trigram index); title matches first, then the
# wordings this desk uses most, then the newest.
_SEARCH = text(
    f"SELECT {ARTICLE_COLUMNS}, {_USES_90} AS uses FROM knowledge_articles a "
    f"WHERE a.org_id = :o AND a.active AND {_IN_PROJECT} AND a.search_text ILIKE ALL (CAST(:terms AS text[])) "
    "AND (CAST(:kind AS text) IS NULL OR a.kind = :kind) "
    # A category narrows to its articles and the general ones; browsing a category without words, to its own only.
    "AND (CAST(:category AS text) IS NULL OR :category = ANY(a.category_codes) "
    "     OR (a.category_codes = '{}' AND cardinality(CAST(:terms AS text[])) > 0)) "
    "ORDER BY a.title ILIKE ALL (CAST(:terms AS text[])) DESC, uses DESC, a.updated_at DESC, a.id LIMIT :limit"
)
# Managing: the company's only (project NULL and not :company_only false), or the company's and one project's.
_PAGE = text(
    f"WITH f AS (SELECT {ARTICLE_COLUMNS} FROM knowledge_articles a "
    "  WHERE a.org_id = :o AND (a.project_id IS NULL OR a.project_id = CAST(:p AS uuid)) "
    "  AND (CAST(:kind AS text) IS NULL OR a.kind = :kind) AND (a.active OR :inactive)) "
    "SELECT f.*, (SELECT count(*) FROM f) AS total FROM f "
    "WHERE CAST(:after AS uuid) IS NULL OR (f.project_id IS NOT NULL, f.kind, f.title, f.id) > "
    "  (SELECT a.project_id IS NOT NULL, a.kind, a.title, a.id FROM f a WHERE a.id = :after) "
    "ORDER BY f.project_id IS NOT NULL, f.kind, f.title, f.id LIMIT :limit"
)
_ONE = text(f"SELECT {ARTICLE_COLUMNS} FROM knowledge_articles a WHERE a.org_id = :o AND a.id = :id")
_VERSIONS = text("SELECT article_id, version, title, body, note, by, at FROM knowledge_versions "
                 "WHERE org_id = :o AND article_id = ANY(:ids) ORDER BY article_id, version DESC")
# Uses over the projects the caller sees, last 90 Beijing days.
_USES = text("SELECT article_id, sum(uses)::bigint AS uses FROM knowledge_uses WHERE org_id = :o AND article_id = ANY(:ids) "
             "AND day > (now() AT TIME ZONE 'Asia/Shanghai')::date - 90 GROUP BY article_id")


async def search(db: Reader, project_id: UUID, terms: list[str], *, kind: str | None, category: str | None,
                 limit: int) -> list[Row[Any]]:
    return await db.all(_SEARCH, {"o": db.org_id, "p": project_id, "terms": terms, "kind": kind, "category": category, "limit": limit})


async def article_page(db: Reader, project_id: UUID | None, *, kind: str | None, inactive: bool, after: UUID | None,
                       limit: int) -> list[Row[Any]]:
    """The company's first, then the project's; by kind and title. `total` counts the filtered list."""
    return await db.all(_PAGE, {"o": db.org_id, "p": project_id, "kind": kind, "inactive": inactive, "after": after, "limit": limit})


async def article(db: Reader, article_id: UUID) -> Row[Any] | None:
    return await db.first(_ONE, {"o": db.org_id, "id": article_id})


async def versions(db: Reader, article_ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_VERSIONS, {"o": db.org_id, "ids": list(article_ids)})


async def uses(db: Reader, article_ids: Sequence[UUID]) -> dict[UUID, int]:
    return {r.article_id: int(r.uses) for r in await db.all(_USES, {"o": db.org_id, "ids": list(article_ids)})}
