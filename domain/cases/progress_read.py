"""进度查询 What the resident's view of a case is built from: the case, its audit entries, and the
names of the people and departments they mention. Residents see a handler's display name and a
department's name; never phone numbers or usernames."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text

from domain.reads import Reader

_CASE = text("SELECT number, state, commitment_due FROM cases WHERE org_id = :org AND id = :c")
_ENTRIES = text("SELECT at, action, note, data FROM audit_log WHERE org_id = :org AND entity = 'case' AND entity_id = :c ORDER BY at, id")
_ENTRIES_OF = text("SELECT entity_id AS case_id, at, action, note, data FROM audit_log "
                   "WHERE org_id = :org AND entity = 'case' AND entity_id = ANY(:c) ORDER BY at, id")
_NAMES = text(
    "SELECT id, display_name AS name FROM users WHERE org_id = :org AND id = ANY(:ids) "
    "UNION ALL SELECT id, name FROM departments WHERE org_id = :org AND id = ANY(:ids)"
)


async def case(db: Reader, case_id: UUID) -> Row[Any] | None:
    """(number, state, commitment_due), or None when the case is not visible."""
    return await db.first(_CASE, {"org": db.org_id, "c": case_id})


async def entries(db: Reader, case_id: UUID) -> list[Row[Any]]:
    """The case's audit entries (at, action, note, data), oldest first."""
    return await db.all(_ENTRIES, {"org": db.org_id, "c": case_id})


async def entries_of_cases(db: Reader, case_ids: Sequence[UUID]) -> list[Row[Any]]:
    """The audit entries of several cases (case_id, at, action, note, data), each case's oldest first; one statement."""
    return await db.all(_ENTRIES_OF, {"org": db.org_id, "c": list(case_ids)})


async def names(db: Reader, ids: Iterable[UUID]) -> dict[UUID, str]:
    """The display names of those users and departments; one statement."""
    return {r.id: r.name for r in await db.all(_NAMES, {"org": db.org_id, "ids": list(ids)})}
