"""案例研判 Case reviews as they are read back — one per case, the latest version — and the lessons
shared with every project. Read under the caller's row-level security."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Row, text

from domain.reads import Reader

REVIEW_COLUMNS = ("id, project_id, case_id, verdict, root_cause_category, root_cause, lessons, corrective_actions, tags, shared, "
                  "version, reviewed_by, reviewed_at, created_at")
_LIST = text(f"SELECT {REVIEW_COLUMNS} FROM case_reviews WHERE org_id = :o AND (CAST(:p AS uuid) IS NULL OR project_id = :p) "
             "AND (CAST(:v AS text) IS NULL OR verdict = :v) AND (CAST(:s AS boolean) IS NULL OR shared = :s) "
             "ORDER BY reviewed_at DESC, id LIMIT :n")
_BY_CASE = text(f"SELECT {REVIEW_COLUMNS} FROM case_reviews WHERE org_id = :o AND case_id = :c")
_ONE = text(f"SELECT {REVIEW_COLUMNS} FROM case_reviews WHERE org_id = :o AND id = :id")
_LESSON = ("verdict, root_cause_category, root_cause, lessons, corrective_actions, tags, version, reviewed_at")
# A project's staff read their projects' copies: one each, for a caller of several projects holds several.
_COPIES = text(f"SELECT * FROM (SELECT DISTINCT ON (review_id) review_id, case_number, source_project, {_LESSON} "
               "FROM case_review_circulation WHERE org_id = :o ORDER BY review_id) l ORDER BY reviewed_at DESC, review_id LIMIT :n")
# Headquarters sees every project: it reads the shared reviews themselves, not a copy per project.
_SHARED = text("SELECT r.id AS review_id, c.number AS case_number, p.name AS source_project, "
               + ", ".join(f"r.{c.strip()}" for c in _LESSON.split(",")) + " FROM case_reviews r "
               "JOIN cases c ON c.org_id = r.org_id AND c.id = r.case_id JOIN projects p ON p.org_id = r.org_id AND p.id = r.project_id "
               "WHERE r.org_id = :o AND r.shared ORDER BY r.reviewed_at DESC, r.id LIMIT :n")


async def case_reviews(db: Reader, project_id: UUID | None, verdict: str | None, shared: bool | None, first: int) -> list[Row[Any]]:
    """Newest review first; each filter applies only when given."""
    return await db.all(_LIST, {"o": db.org_id, "p": project_id, "v": verdict, "s": shared, "n": first})


async def case_review(db: Reader, case_id: UUID) -> Row[Any] | None:
    return await db.first(_BY_CASE, {"o": db.org_id, "c": case_id})


async def review(db: Reader, review_id: UUID) -> Row[Any] | None:
    """By its own id, for node(id): what a corrective action's source names."""
    return await db.first(_ONE, {"o": db.org_id, "id": review_id})


async def shared_lessons(db: Reader, company_wide: bool, first: int) -> list[Row[Any]]:
    """The newest shared lessons: headquarters (`company_wide`) reads the reviews, others their copies."""
    return await db.all(_SHARED if company_wide else _COPIES, {"o": db.org_id, "n": first})
