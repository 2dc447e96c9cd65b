"""持续改进 as staff read it: the actions of a project or of every project the caller sees, the
overdue first; one action; the escalations each has climbed. Under the caller's row-level security."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text

from domain.reads import Reader

ACTION_COLUMNS = (
    "a.id, a.project_id, a.source, a.source_id, a.title, a.description, a.owner_user_id, a.due_on, a.state, a.evidence_note, "
    "a.evidence_files, a.done_at, a.done_by, a.verified_at, a.verified_by, a.return_reason, a.returned_count, a.raised_by, "
    "a.created_at, a.updated_at, "
    "(a.state = 'open' AND a.due_on < (now() AT TIME ZONE 'Asia/Shanghai')::date) AS overdue"
)
# Open ones by due date (the overdue first), then those waiting for verification, then the verified, newest.
_PAGE = text(
    f"WITH f AS (SELECT {ACTION_COLUMNS}, CASE a.state WHEN 'open' THEN 0 WHEN 'done' THEN 1 ELSE 2 END AS rank "
    "  FROM improvement_actions a WHERE a.org_id = :o AND (CAST(:p AS uuid) IS NULL OR a.project_id = :p) "
    "  AND (CAST(:state AS text) IS NULL OR a.state = :state) AND (CAST(:owner AS uuid) IS NULL OR a.owner_user_id = :owner)) "
    "SELECT f.*, (SELECT count(*) FROM f WHERE NOT :overdue OR f.overdue) AS total FROM f "
    "WHERE (NOT :overdue OR f.overdue) AND (CAST(:after AS uuid) IS NULL OR (f.rank, f.due_on, f.id) > "
    "  (SELECT a.rank, a.due_on, a.id FROM f a WHERE a.id = :after)) "
    "ORDER BY f.rank, f.due_on, f.id LIMIT :limit"
)
_ONE = text(f"SELECT {ACTION_COLUMNS} FROM improvement_actions a WHERE a.org_id = :o AND a.id = :id")
# Every step as the audit log keeps it: raised, completed (each time), returned, verified.
_HISTORY = text("SELECT at, action, actor, note, data FROM audit_log "
                "WHERE org_id = :o AND entity = 'improvement_action' AND entity_id = :id ORDER BY at, id")
_ESCALATIONS = text(
    "SELECT subject_id, level, due_at, fired_at, recipients FROM item_escalations "
    "WHERE org_id = :o AND subject_kind = 'action' AND subject_id = ANY(:ids) ORDER BY subject_id, fired_at"
)


async def action_page(db: Reader, project_id: UUID | None, *, state: str | None, overdue: bool, owner: UUID | None,
                      after: UUID | None, limit: int) -> list[Row[Any]]:
    return await db.all(_PAGE, {"o": db.org_id, "p": project_id, "state": state, "overdue": overdue, "owner": owner, "after": after,
                                "limit": limit})


async def action(db: Reader, action_id: UUID) -> Row[Any] | None:
    return await db.first(_ONE, {"o": db.org_id, "id": action_id})


async def escalations(db: Reader, action_ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_ESCALATIONS, {"o": db.org_id, "ids": list(action_ids)})


async def history(db: Reader, action_id: UUID) -> list[Row[Any]]:
    return await db.all(_HISTORY, {"o": db.org_id, "id": action_id})
