"""进度查询 The resident's view of a case, for owner apps and the WeChat service account."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry
from sqlalchemy import text

from api.context import Info
from domain.cases.progress import Entry, named_ids, progress
from domain.cases.states import STATE_LABELS, State

_CASE = text("SELECT number, state, commitment_due FROM cases WHERE id = :c")
_ENTRIES = text("SELECT at, action, note, data FROM audit_log WHERE entity = 'case' AND entity_id = :c ORDER BY at, id")
# Residents see a handler's display name and a department's name; never phone numbers or usernames.
_NAMES = text(
    "SELECT id, display_name AS name FROM users WHERE id = ANY(:ids) "
    "UNION ALL SELECT id, name FROM departments WHERE id = ANY(:ids)"
)


@strawberry.type(description="One step the resident should know about.")
class ProgressStep:
    at: datetime
    stage: str = strawberry.field(description="e.g. committed, dispatched, resolved")
    title: str = strawberry.field(description="Chinese first, English beside.")
    message: str = strawberry.field(description="In Chinese, addressed to the resident.")


@strawberry.type(description="工单进度 What an owner app shows of a case.")
class CaseProgress:
    number: str
    state_label: str
    commitment_due: datetime | None
    steps: list[ProgressStep]


async def case_progress(info: Info, case_id: UUID) -> CaseProgress | None:
    db = info.context.db
    case = await db.first(_CASE, {"c": case_id})
    if case is None:
        return None
    entries = [Entry(r.at, r.action, r.note, r.data or {}) for r in await db.all(_ENTRIES, {"c": case_id})]
    ids = named_ids(entries)
    names = {r.id: r.name for r in await db.all(_NAMES, {"ids": list(ids)})} if ids else {}
    return CaseProgress(
        number=case.number, state_label=STATE_LABELS[State(case.state)], commitment_due=case.commitment_due,
        steps=[ProgressStep(at=s.at, stage=s.stage, title=s.title, message=s.message) for s in progress(entries, names)],
    )
