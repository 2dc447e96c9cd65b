"""Sweeps in PostgreSQL, in the caller's unit of work. A sweep is the company's (every caller of
the company sees it); a project's part and its results are the project's."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text

from domain.errors import not_found
from domain.events import Event
from domain.sweeps.rules import SweepItem
from domain.unit_of_work import Aggregate, AuditEntry, UnitOfWork

_INSERT = text(
    "INSERT INTO sweeps (org_id, title, reason, checklist, project_ids, due_at, created_by) "
    "VALUES (:o, :title, :reason, CAST(:checklist AS jsonb), CAST(:projects AS uuid[]), :due, :actor) RETURNING id"
)
_PROJECTS_FOUND = text("SELECT count(*) FROM projects WHERE org_id = :o AND id = ANY(CAST(:ids AS uuid[]))")
_SWEEP = text("SELECT id, org_id, state, title, reason, checklist, project_ids, due_at FROM sweeps WHERE org_id = :o AND id = :id "
              "FOR UPDATE")
_LAUNCH = text("UPDATE sweeps SET state = 'launched', launched_at = :now WHERE org_id = :o AND id = :id")
_PARTS = text(
    "INSERT INTO sweep_projects (org_id, project_id, sweep_id) SELECT p.org_id, p.id, :id FROM projects p "
    "WHERE p.org_id = :o AND (CAST(:ids AS uuid[]) IS NULL OR p.id = ANY(CAST(:ids AS uuid[]))) RETURNING id, project_id"
)
_PART = text("SELECT id, state FROM sweep_projects WHERE org_id = :o AND sweep_id = :s AND project_id = :p FOR UPDATE")
_RESULT = text("SELECT result FROM sweep_results WHERE org_id = :o AND sweep_id = :s AND project_id = :p AND item_code = :c")
_UPSERT_RESULT = text(
    "INSERT INTO sweep_results (org_id, project_id, sweep_id, item_code, result, hazard_id, note, by) "
    "VALUES (:o, :p, :s, :c, :r, :h, :n, :actor) ON CONFLICT (org_id, sweep_id, project_id, item_code) DO UPDATE SET "
    "result = EXCLUDED.result, hazard_id = EXCLUDED.hazard_id, note = EXCLUDED.note, by = EXCLUDED.by, at = now()"
)
_STARTED = text("UPDATE sweep_projects SET state = 'in_progress' WHERE org_id = :o AND id = :id AND state = 'pending'")
_COUNTS = text("SELECT count(*) AS checked, count(*) FILTER (WHERE result = 'hazard') AS hazards FROM sweep_results "
               "WHERE org_id = :o AND sweep_id = :s AND project_id = :p")
_SUBMIT = text("UPDATE sweep_projects SET state = 'submitted', submitted_at = :now, submitted_by = :actor, "
               "items_checked = :checked, hazards_found = :hazards WHERE org_id = :o AND id = :id")


def audit(uow: UnitOfWork, action: str, sweep_id: UUID, project_id: UUID | None, data: dict[str, Any],
          from_state: str | None = None, to_state: str | None = None) -> None:
    """An audit row and its event, written at commit (the sweep has no aggregate of its own)."""
    event = Event(topic=action, org_id=uow.org_id, project_id=project_id, payload={"sweep_id": str(sweep_id), **data})
    uow.track(Aggregate(events=[event], audit=[AuditEntry(action=action, entity="sweep", entity_id=sweep_id,
                                                          project_id=project_id, from_state=from_state, to_state=to_state,
                                                          data=data, event_id=event.id)]))


async def insert(uow: UnitOfWork, *, title: str, reason: str, checklist: tuple[SweepItem, ...], projects: list[UUID] | None,
                 due_at: datetime) -> UUID:
    if projects is not None:
        found = (await uow.conn.execute(_PROJECTS_FOUND, {"o": uow.org_id, "ids": projects})).scalar_one()
        if found != len(set(projects)):
            raise not_found("A project", "projectIds", zh="项目")
    return (await uow.conn.execute(_INSERT, {  # type: ignore[no-any-return]
        "o": uow.org_id, "title": title, "reason": reason, "checklist": json.dumps([i.as_json() for i in checklist]),
        "projects": projects, "due": due_at, "actor": uow.actor})).scalar_one()


async def locked_sweep(uow: UnitOfWork, sweep_id: UUID) -> Row[Any]:
    row = (await uow.conn.execute(_SWEEP, {"o": uow.org_id, "id": sweep_id})).first()
    if row is None:
        raise not_found("The sweep", "sweepId", zh="排查行动")
    return row


async def launch(uow: UnitOfWork, sweep: Row[Any], now: datetime) -> list[Row[Any]]:
    await uow.conn.execute(_LAUNCH, {"o": uow.org_id, "id": sweep.id, "now": now})
    return list((await uow.conn.execute(_PARTS, {"o": uow.org_id, "id": sweep.id, "ids": sweep.project_ids})).all())


async def locked_part(uow: UnitOfWork, sweep_id: UUID, project_id: UUID) -> Row[Any]:
    row = (await uow.conn.execute(_PART, {"o": uow.org_id, "s": sweep_id, "p": project_id})).first()
    if row is None:
        raise not_found("The project's part of the sweep", "projectId", zh="本项目的排查任务")
    return row


async def previous_result(uow: UnitOfWork, sweep_id: UUID, project_id: UUID, code: str) -> str | None:
    return (await uow.conn.execute(_RESULT, {"o": uow.org_id, "s": sweep_id, "p": project_id, "c": code})).scalar()


async def record_result(uow: UnitOfWork, *, part_id: UUID, sweep_id: UUID, project_id: UUID, code: str, result: str,
                        hazard_id: UUID | None, note: str) -> None:
    await uow.conn.execute(_UPSERT_RESULT, {"o": uow.org_id, "p": project_id, "s": sweep_id, "c": code, "r": result,
                                            "h": hazard_id, "n": note, "actor": uow.actor})
    await uow.conn.execute(_STARTED, {"o": uow.org_id, "id": part_id})


async def submit(uow: UnitOfWork, *, part_id: UUID, sweep_id: UUID, project_id: UUID, now: datetime) -> tuple[int, int]:
    counts = (await uow.conn.execute(_COUNTS, {"o": uow.org_id, "s": sweep_id, "p": project_id})).one()
    await uow.conn.execute(_SUBMIT, {"o": uow.org_id, "id": part_id, "now": now, "actor": uow.actor, "checked": counts.checked,
                                     "hazards": counts.hazards})
    return counts.checked, counts.hazards


_UPDATE = text("UPDATE sweeps SET title = :title, reason = :reason, checklist = CAST(:checklist AS jsonb), due_at = :due "
               "WHERE org_id = :o AND id = :id")
_CLOSE = text("UPDATE sweeps SET state = 'closed', closed_at = :now, closed_by = :actor, close_note = :note WHERE org_id = :o AND id = :id")
_OPEN_PARTS = text("SELECT id, project_id, state FROM sweep_projects WHERE org_id = :o AND sweep_id = :s AND state <> 'submitted' "
                   "ORDER BY project_id")


async def update(uow: UnitOfWork, sweep_id: UUID, *, title: str, reason: str, checklist: list[dict[str, Any]],
                 due_at: datetime) -> None:
    await uow.conn.execute(_UPDATE, {"o": uow.org_id, "id": sweep_id, "title": title, "reason": reason, "checklist": json.dumps(checklist),
                                     "due": due_at})


async def close(uow: UnitOfWork, sweep_id: UUID, *, note: str, now: datetime) -> None:
    await uow.conn.execute(_CLOSE, {"o": uow.org_id, "id": sweep_id, "now": now, "actor": uow.actor, "note": note})


async def open_parts(uow: UnitOfWork, sweep_id: UUID) -> list[Row[Any]]:
    """The projects' parts not submitted, each locked by its project."""
    return list((await uow.conn.execute(_OPEN_PARTS, {"o": uow.org_id, "s": sweep_id})).all())
