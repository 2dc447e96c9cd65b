"""内部通报 A bulletin as it is printed: the bulletin with its project, department and company
names. Drafts are read only for those who may publish; everything else under the caller's
row-level security."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import Row, text

from domain.kpi.evaluation import Reader

_BULLETIN = text(
    "SELECT b.*, p.name AS project_name, o.name AS org_name, d.name AS department_name FROM bulletins b "
    "JOIN projects p ON p.id = b.project_id JOIN organizations o ON o.org_id = b.org_id "
    "LEFT JOIN departments d ON d.id = b.department_id WHERE b.id = :id AND (b.state <> 'draft' OR :drafts)"
)


async def printable_bulletin(db: Reader, bulletin_id: UUID, drafts: bool) -> Row | None:
    """The bulletin, or None when it is not visible — or a draft and `drafts` is false."""
    return await db.first(_BULLETIN, {"id": bulletin_id, "drafts": drafts})
