"""Corrective actions in PostgreSQL, in the caller's unit of work. Reads run under the caller's
row-level security: an action, source or owner of another company or project is not found."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.directory.repository import DirectoryRepository
from domain.errors import invalid, not_found
from domain.improvements.model import Action
from domain.unit_of_work import UnitOfWork

_COLUMNS = ("id, org_id, project_id, title, owner_user_id, due_on, state, source, source_id, returned_count, evidence_note, "
            "evidence_files, done_at, done_by, verified_at, verified_by, return_reason")
_LOCKED = text(f"SELECT {_COLUMNS} FROM improvement_actions WHERE org_id = :o AND id = :id FOR UPDATE")
_INSERT = text(
    "INSERT INTO improvement_actions (org_id, project_id, source, source_id, title, description, owner_user_id, due_on, raised_by) "
    f"VALUES (:o, :p, :source, :source_id, :title, :description, :owner, :due_on, :actor) RETURNING {_COLUMNS}"
)
_SAVE = text(
    "UPDATE improvement_actions SET state = :state, due_on = :due_on, evidence_note = :evidence_note, "
    "evidence_files = CAST(:evidence_files AS text[]), done_at = :done_at, done_by = :done_by, verified_at = :verified_at, "
    "verified_by = :verified_by, return_reason = :return_reason, returned_count = :returned_count, updated_at = now() "
    "WHERE org_id = :o AND id = :id"
)
# Where an action can come from: a row of that kind in the same project.
_SOURCES = {
    "case_review": text("SELECT 1 FROM case_reviews WHERE org_id = :o AND id = :id AND project_id = :p"),
    "alert": text("SELECT 1 FROM alerts WHERE org_id = :o AND id = :id AND project_id = :p"),
    "inspection": text("SELECT 1 FROM inspections WHERE org_id = :o AND id = :id AND project_id = :p"),
    "hazard": text("SELECT 1 FROM hazards WHERE org_id = :o AND id = :id AND project_id = :p"),
}


def _from_row(r: Any) -> Action:
    return Action(id=r.id, org_id=r.org_id, project_id=r.project_id, title=r.title, owner_user_id=r.owner_user_id,
                  due_on=r.due_on, state=r.state, source=r.source, source_id=r.source_id, returned_count=r.returned_count,
                  evidence_note=r.evidence_note, evidence_files=tuple(r.evidence_files), done_at=r.done_at, done_by=r.done_by,
                  verified_at=r.verified_at, verified_by=r.verified_by, return_reason=r.return_reason)


async def locked(uow: UnitOfWork, action_id: UUID) -> Action:
    row = (await uow.conn.execute(_LOCKED, {"o": uow.org_id, "id": action_id})).first()
    if row is None:
        raise not_found("The corrective action", "actionId", zh="整改措施")
    action = _from_row(row)
    uow.track(action)
    return action


async def check_source(uow: UnitOfWork, project_id: UUID, source: str, source_id: UUID | None) -> None:
    sql = _SOURCES.get(source)
    if source_id is None or sql is None:
        return
    if (await uow.conn.execute(sql, {"o": uow.org_id, "id": source_id, "p": project_id})).first() is None:
        raise not_found("The source", "sourceId", zh="来源记录")


async def check_owner(uow: UnitOfWork, project_id: UUID, owner: UUID) -> None:
    if not await DirectoryRepository(uow).works_in(owner, project_id):
        raise invalid("责任人须是在本项目有角色的在职账号。The owner must be an active user with a role in this project.",
                      "ownerId")


async def insert(uow: UnitOfWork, *, project_id: UUID, source: str, source_id: UUID | None, title: str, description: str,
                 owner: UUID, due_on: Any) -> Action:
    row = (await uow.conn.execute(_INSERT, {"o": uow.org_id, "p": project_id, "source": source, "source_id": source_id,
                                            "title": title, "description": description, "owner": owner, "due_on": due_on,
                                            "actor": uow.actor})).one()
    action = _from_row(row)
    uow.track(action)
    action.raised()
    return action


async def save(uow: UnitOfWork, action: Action) -> None:
    await uow.conn.execute(_SAVE, {"o": uow.org_id,
        "id": action.id, "state": action.state, "due_on": action.due_on, "evidence_note": action.evidence_note,
        "evidence_files": list(action.evidence_files), "done_at": action.done_at, "done_by": action.done_by,
        "verified_at": action.verified_at, "verified_by": action.verified_by, "return_reason": action.return_reason,
        "returned_count": action.returned_count})
