"""进度查询 The resident's view of a case, for owner apps and the WeChat service account."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry

from api.context import Info
from domain.cases import progress_read as reads
from domain.cases.progress import Entry, named_ids, progress
from domain.cases.states import STATE_LABELS, State


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
    case = await reads.case(db, case_id)
    if case is None:
        return None
    entries = [Entry(r.at, r.action, r.note, r.data or {}) for r in await reads.entries(db, case_id)]
    ids = named_ids(entries)
    names = await reads.names(db, ids) if ids else {}
    return CaseProgress(
        number=case.number, state_label=STATE_LABELS[State(case.state)], commitment_due=case.commitment_due,
        steps=[ProgressStep(at=s.at, stage=s.stage, title=s.title, message=s.message) for s in progress(entries, names)],
    )
