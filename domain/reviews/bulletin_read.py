"""内部通报 Bulletins as they are read back — listed, one by one, circulated, and printed with their
project, department and company names. Drafts are read only for those who may publish;
everything else under the caller's row-level security."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Row, text

from domain.reads import Reader

_BULLETIN = text(
    "SELECT b.*, p.name AS project_name, o.name AS org_name, d.name AS department_name FROM bulletins b "
    "JOIN projects p ON p.org_id = b.org_id AND p.id = b.project_id JOIN organizations o ON o.org_id = b.org_id "
    "LEFT JOIN departments d ON d.org_id = b.org_id AND d.id = b.department_id "
    "WHERE b.org_id = :o AND b.id = :id AND (b.state <> 'draft' OR :drafts)"
)


async def printable_bulletin(db: Reader, bulletin_id: UUID, drafts: bool) -> Row[Any] | None:
    """The bulletin, or None when it is not visible — or a draft and `drafts` is false."""
    return await db.first(_BULLETIN, {"o": db.org_id, "id": bulletin_id, "drafts": drafts})


# A circular prints from the caller's copy, for another project's staff cannot read the bulletin
# itself. Shaped as the bulletin's row above so one page prints both; a copy keeps the subject as
# one name and not which figures were cited.
_CIRCULAR = text(
    "SELECT c.kind, c.title, c.body, c.month, c.figures, c.published_at, c.withdrawal_reason, c.published_at AS created_at, "
    "CASE WHEN c.withdrawn_at IS NULL THEN 'published' ELSE 'withdrawn' END AS state, CAST(ARRAY[] AS text[]) AS cited_figures, "
    "c.subject AS project_name, NULL AS department_name, o.name AS org_name FROM bulletin_circulation c "
    "JOIN organizations o ON o.org_id = c.org_id WHERE c.org_id = :o AND c.bulletin_id = :id ORDER BY c.project_id LIMIT 1"
)


async def printable_circular(db: Reader, bulletin_id: UUID) -> Row[Any] | None:
    """The caller's copy of a circulated bulletin, or None when they hold none."""
    return await db.first(_CIRCULAR, {"o": db.org_id, "id": bulletin_id})


BULLETIN_COLUMNS = (
    "b.id, b.project_id, b.kind, b.title, b.body, b.department_id, b.month, b.cited_figures, b.figures, b.state, b.drafted_by, "
    "b.created_at, b.updated_at, b.published_by, b.published_at, b.withdrawn_by, b.withdrawn_at, b.withdrawal_reason, b.circulated, "
    "ARRAY(SELECT bc.case_id FROM bulletin_cases bc WHERE bc.org_id = b.org_id AND bc.bulletin_id = b.id ORDER BY bc.position) AS case_ids"
)
# Drafts are HQ's work in progress: shown only to callers who may publish.
_VISIBLE = "(b.state <> 'draft' OR :drafts)"
_LIST = text(f"SELECT {BULLETIN_COLUMNS} FROM bulletins b WHERE b.org_id = :o AND {_VISIBLE} "
             "AND (CAST(:p AS uuid) IS NULL OR b.project_id = :p) "
             "AND (CAST(:s AS text) IS NULL OR b.state = :s) "
             "ORDER BY b.month DESC, coalesce(b.published_at, b.created_at) DESC, b.id LIMIT :n")
_ONE = text(f"SELECT {BULLETIN_COLUMNS} FROM bulletins b WHERE b.org_id = :o AND {_VISIBLE} AND b.id = :id")
# A project's staff read their projects' copies of the other projects' circulars: one each, for
# a caller of several projects holds several copies.
_CIRCULARS = text(
    "SELECT * FROM (SELECT DISTINCT ON (bulletin_id) bulletin_id, kind, title, body, month, subject, figures, published_at, "
    "withdrawn_at, withdrawal_reason FROM bulletin_circulation WHERE org_id = :o ORDER BY bulletin_id) c "
    "ORDER BY published_at DESC, bulletin_id LIMIT :n"
)
# Headquarters sees every project, so it reads the circulated bulletins themselves rather than
# one copy per project (bulletins × projects) folded back to one.
_CIRCULATED = text(
    "SELECT b.id AS bulletin_id, b.kind, b.title, b.body, b.month, p.name || coalesce(' · ' || d.name, '') AS subject, b.figures, "
    "b.published_at, b.withdrawn_at, b.withdrawal_reason FROM bulletins b JOIN projects p ON p.org_id = b.org_id AND p.id = b.project_id "
    "LEFT JOIN departments d ON d.org_id = b.org_id AND d.id = b.department_id "
    "WHERE b.org_id = :o AND b.circulated AND b.state <> 'draft' ORDER BY b.published_at DESC, b.id LIMIT :n"
)


async def bulletins(db: Reader, project_id: UUID | None, state: str | None, first: int, drafts: bool) -> list[Row[Any]]:
    """Newest month first; each filter applies only when given."""
    return await db.all(_LIST, {"o": db.org_id, "p": project_id, "s": state, "n": first, "drafts": drafts})


async def bulletin(db: Reader, bulletin_id: UUID, drafts: bool) -> Row[Any] | None:
    return await db.first(_ONE, {"o": db.org_id, "id": bulletin_id, "drafts": drafts})


async def circulars(db: Reader, company_wide: bool, first: int) -> list[Row[Any]]:
    """The newest circulated bulletins: headquarters (`company_wide`) reads the bulletins, others their copies."""
    return await db.all(_CIRCULATED if company_wide else _CIRCULARS, {"o": db.org_id, "n": first})
