"""Hazards in PostgreSQL, in the caller's unit of work, under the caller's row-level security: a
hazard, source, place or owner of another company or project is not found."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.directory.repository import DirectoryRepository
from domain.errors import invalid, not_found
from domain.hazards.model import Hazard
from domain.unit_of_work import UnitOfWork

_COLUMNS = ("id, org_id, project_id, number, title, grade, state, deadline, owner_user_id, rectification_note, "
            "rectification_photos, rectified_at, rectified_by, verified_at, verified_by, verify_note, failed_count, "
            "accepted_reason, accepted_by")
_LOCKED = text(f"SELECT {_COLUMNS} FROM hazards WHERE org_id = :o AND id = :id FOR UPDATE")
_NEXT_NUMBER = text(
    "INSERT INTO hazard_numbers (org_id, project_id, day, last) VALUES (:o, :p, :d, 1) "
    "ON CONFLICT (org_id, project_id, day) DO UPDATE SET last = hazard_numbers.last + 1 RETURNING last"
)
_PROJECT_CODE = text("SELECT code FROM projects WHERE org_id = :o AND id = :p")
_INSERT = text(
    "INSERT INTO hazards (org_id, project_id, number, source, source_id, title, description, category, grade, building_id, "
    "unit_id, place, photos, deadline, reported_by) VALUES (:o, :p, :number, :source, :source_id, :title, :description, "
    ":category, :grade, :building, :unit, :place, CAST(:photos AS text[]), :deadline, :actor) "
    f"RETURNING {_COLUMNS}"
)
_SAVE = text(
    "UPDATE hazards SET state = :state, deadline = :deadline, owner_user_id = :owner_user_id, "
    "rectification_note = :rectification_note, rectification_photos = CAST(:rectification_photos AS text[]), "
    "rectified_at = :rectified_at, rectified_by = :rectified_by, verified_at = :verified_at, verified_by = :verified_by, "
    "verify_note = :verify_note, failed_count = :failed_count, accepted_reason = :accepted_reason, "
    "accepted_by = :accepted_by, updated_at = now() WHERE org_id = :o AND id = :id"
)
# Where a hazard can come from: a row of that kind in the same project.
_SOURCES = {
    "patrol": text("SELECT 1 FROM patrol_visits WHERE org_id = :o AND id = :id AND project_id = :p"),
    "inspection": text("SELECT 1 FROM inspections WHERE org_id = :o AND id = :id AND project_id = :p"),
    "case": text("SELECT 1 FROM cases WHERE org_id = :o AND id = :id AND project_id = :p"),
}
_BUILDING = text("SELECT 1 FROM buildings WHERE org_id = :o AND id = :id AND project_id = :p")
_UNIT = text("SELECT building_id FROM units WHERE org_id = :o AND id = :id AND project_id = :p")


def _from_row(r: Any) -> Hazard:
    return Hazard(id=r.id, org_id=r.org_id, project_id=r.project_id, number=r.number, title=r.title, grade=r.grade,
                  state=r.state, deadline=r.deadline, owner_user_id=r.owner_user_id, rectification_note=r.rectification_note,
                  rectification_photos=tuple(r.rectification_photos), rectified_at=r.rectified_at, rectified_by=r.rectified_by,
                  verified_at=r.verified_at, verified_by=r.verified_by, verify_note=r.verify_note, failed_count=r.failed_count,
                  accepted_reason=r.accepted_reason, accepted_by=r.accepted_by)


async def locked(uow: UnitOfWork, hazard_id: UUID) -> Hazard:
    row = (await uow.conn.execute(_LOCKED, {"o": uow.org_id, "id": hazard_id})).first()
    if row is None:
        raise not_found("The hazard", "hazardId", zh="隐患")
    hazard = _from_row(row)
    uow.track(hazard)
    return hazard


async def check_source(uow: UnitOfWork, project_id: UUID, source: str, source_id: UUID | None) -> None:
    sql = _SOURCES.get(source)
    if source_id is None or sql is None:
        return
    if (await uow.conn.execute(sql, {"o": uow.org_id, "id": source_id, "p": project_id})).first() is None:
        raise not_found("The source", "sourceId", zh="来源记录")


async def check_place(uow: UnitOfWork, project_id: UUID, building: UUID | None, unit: UUID | None) -> UUID | None:
    """The building and flat are the project's; a flat alone gives its building."""
    if unit is not None:
        row = (await uow.conn.execute(_UNIT, {"o": uow.org_id, "id": unit, "p": project_id})).first()
        if row is None:
            raise not_found("The flat", "unitId", zh="房屋")
        if building is not None and building != row.building_id:
            raise invalid("房屋不在所选楼栋。The flat is not in that building.", "unitId")
        return row.building_id  # type: ignore[no-any-return]
    if building is not None and (await uow.conn.execute(_BUILDING, {"o": uow.org_id, "id": building, "p": project_id})).first() is None:
        raise not_found("The building", "buildingId", zh="楼栋")
    return building


async def check_owner(uow: UnitOfWork, project_id: UUID, owner: UUID) -> None:
    if not await DirectoryRepository(uow).works_in(owner, project_id):
        raise invalid("责任人须是在本项目有角色的在职账号。The owner must be an active user with a role in this project.",
                      "ownerId")


async def next_number(uow: UnitOfWork, project_id: UUID, day: date) -> str:
    code = (await uow.conn.execute(_PROJECT_CODE, {"o": uow.org_id, "p": project_id})).scalar_one()
    n = (await uow.conn.execute(_NEXT_NUMBER, {"o": uow.org_id, "p": project_id, "d": day})).scalar_one()
    return f"YH-{code}-{day:%Y%m%d}-{n:02d}"


async def insert(uow: UnitOfWork, *, project_id: UUID, number: str, source: str, source_id: UUID | None, title: str,
                 description: str, category: str, grade: str, building: UUID | None, unit: UUID | None, place: str,
                 photos: tuple[str, ...], deadline: datetime) -> Hazard:
    row = (await uow.conn.execute(_INSERT, {
        "o": uow.org_id, "p": project_id, "number": number, "source": source, "source_id": source_id, "title": title,
        "description": description, "category": category, "grade": grade, "building": building, "unit": unit,
        "place": place, "photos": list(photos), "deadline": deadline, "actor": uow.actor})).one()
    hazard = _from_row(row)
    uow.track(hazard)
    hazard.reported(source)
    return hazard


async def save(uow: UnitOfWork, h: Hazard) -> None:
    await uow.conn.execute(_SAVE, {"o": uow.org_id,
        "id": h.id, "state": h.state, "deadline": h.deadline, "owner_user_id": h.owner_user_id,
        "rectification_note": h.rectification_note, "rectification_photos": list(h.rectification_photos),
        "rectified_at": h.rectified_at, "rectified_by": h.rectified_by, "verified_at": h.verified_at,
        "verified_by": h.verified_by, "verify_note": h.verify_note, "failed_count": h.failed_count,
        "accepted_reason": h.accepted_reason, "accepted_by": h.accepted_by})
