"""Inspections in PostgreSQL, inside the caller's transaction: checklists with their items, an
inspection with its results and findings, and — on submission — each finding registered as a
case of the project through the one intake path, domain/cases/intake.py (its number, audit row,
outbox event and SLA clocks, like any case), the inspector its first receiver, on the patrol
channel (巡访)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.cases.commands import RegisterCase
from domain.cases.intake import register_case
from domain.cases.model import Actor
from domain.cases.states import CaseKind, Channel, Severity
from domain.errors import DomainError, ErrorCode, invalid, not_found
from domain.inspections.model import (
    Checklist,
    Finding,
    Item,
    Result,
    Score,
    case_description,
    category_of,
)
from domain.unit_of_work import UnitOfWork

_CHECKLIST = text("SELECT id, name, active FROM inspection_checklists WHERE org_id = :o AND id = :id")
_CHECKLIST_FOR_UPDATE = text("SELECT id, name, active FROM inspection_checklists WHERE org_id = :o AND id = :id FOR UPDATE")
_SAME_NAME = text("SELECT 1 FROM inspection_checklists WHERE org_id = :o AND name = :n")
_ITEMS = text("SELECT id, position, title, max_points, department_kind FROM inspection_checklist_items "
              "WHERE org_id = :o AND checklist_id = :id ORDER BY position")
_DRAFT = text("SELECT id, project_id, checklist_id, state FROM inspections WHERE org_id = :o AND id = :id FOR UPDATE")
_PROJECT = text("SELECT code FROM projects WHERE org_id = :o AND id = :p")
_CATEGORIES = text("SELECT code, id FROM case_categories WHERE org_id = :o AND code = ANY(:codes) AND active")
# The month's inspection score per project: the mean over its submitted inspections of that
# Beijing month (inspected_on is a Beijing date). One statement for every visible project and
# both months a scorecard needs.
MONTH_SCORES = text(
    "SELECT project_id, date_trunc('month', inspected_on::timestamp)::date AS month, avg(score) AS score FROM inspections "
    "WHERE org_id = :org AND state = 'submitted' AND inspected_on >= :since AND inspected_on < :until GROUP BY project_id, 2"
)


@dataclass(frozen=True)
class Recorded:
    inspection_id: UUID
    case_ids: tuple[UUID, ...]


class ChecklistRepository:
    """Checklists in the unit of work: what it adds or loads is tracked, so its audit rows are
    written at commit."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def name_taken(self, name: str) -> bool:
        return (await self._uow.conn.execute(_SAME_NAME, {"o": self._uow.org_id, "n": name})).first() is not None

    async def add(self, c: Checklist) -> None:
        self._uow.track(c)
        conn, org_id = self._uow.conn, self._uow.org_id
        await conn.execute(text("INSERT INTO inspection_checklists (org_id, id, name, created_by) VALUES (:o, :id, :n, :by)"),
                           {"o": org_id, "id": c.id, "n": c.name, "by": self._uow.actor})
        await conn.execute(text(
            "INSERT INTO inspection_checklist_items (org_id, checklist_id, position, title, guidance, max_points, department_kind) "
            "SELECT :o, :c, position, title, guidance, points, kind FROM unnest(CAST(:positions AS int[]), CAST(:titles AS text[]), "
            "CAST(:guidance AS text[]), CAST(:points AS int[]), CAST(:kinds AS text[])) AS t(position, title, guidance, points, kind)"),
            {"o": org_id, "c": c.id, "positions": list(range(1, len(c.items) + 1)), "titles": [i.title for i in c.items],
             "guidance": [i.guidance for i in c.items], "points": [i.max_points for i in c.items],
             "kinds": [i.department_kind for i in c.items]})

    async def get(self, checklist_id: UUID) -> Checklist:
        """The checklist, locked, without its items (they never change)."""
        row = (await self._uow.conn.execute(_CHECKLIST_FOR_UPDATE, {"o": self._uow.org_id, "id": checklist_id})).first()
        if row is None:
            raise not_found("The checklist", "checklistId", zh="检查表")
        c = Checklist(id=row.id, name=row.name, active=row.active)
        self._uow.track(c)
        return c

    async def save(self, c: Checklist) -> None:
        await self._uow.conn.execute(text("UPDATE inspection_checklists SET active = :a WHERE org_id = :o AND id = :id"),
                                     {"o": self._uow.org_id, "a": c.active, "id": c.id})


async def project_exists(conn: AsyncConnection, org_id: UUID, project_id: UUID) -> bool:
    return (await conn.execute(text("SELECT 1 FROM projects WHERE org_id = :o AND id = :p"),
                               {"o": org_id, "p": project_id})).first() is not None


async def checklist_items(conn: AsyncConnection, org_id: UUID, checklist_id: UUID, *, for_new: bool) -> tuple[str, list[Item]]:
    """The checklist's name and items; one switched off takes no new inspections."""
    row = (await conn.execute(_CHECKLIST, {"o": org_id, "id": checklist_id})).first()
    if row is None:
        raise not_found("The checklist", "checklistId", zh="检查表")
    if for_new and not row.active:
        raise invalid("该检查表已停用，请使用其现行版本。This checklist is switched off: use its current version.", "checklistId")
    items = [Item(r.id, r.position, r.title, r.max_points, r.department_kind) for r in await conn.execute(_ITEMS, {"o": org_id,
                                                                                                                   "id": checklist_id})]
    return row.name, items


@dataclass(frozen=True)
class Inspection:
    org_id: UUID
    project_id: UUID
    checklist_id: UUID
    inspector_id: UUID
    inspected_on: date
    note: str
    results: Sequence[Result]
    findings: Sequence[Finding]


async def record(uow: UnitOfWork, i: Inspection, *, draft_id: UUID | None, checklist_name: str, items: Sequence[Item],
                 score: Score | None, now: datetime) -> Recorded:
    """Stores the inspection (a new one, or over its draft); submitted, its findings become cases
    (their own audit rows and events come with the intake path; the inspection's, from the service)."""
    conn = uow.conn
    inspection_id = await _header(conn, i, draft_id, score, now)
    await conn.execute(text(
        "INSERT INTO inspection_results (org_id, project_id, inspection_id, checklist_id, item_id, points, not_applicable, comment) "
        "SELECT :o, :p, :i, :c, item, points, points IS NULL, comment FROM unnest(CAST(:items AS uuid[]), CAST(:points AS int[]), "
        "CAST(:comments AS text[])) AS t(item, points, comment)"),
        {"o": i.org_id, "p": i.project_id, "i": inspection_id, "c": i.checklist_id, "items": [r.item_id for r in i.results],
         "points": [r.points for r in i.results], "comments": [r.comment.strip() for r in i.results]})
    by_id = {item.id: item for item in items}
    case_ids = await _cases(uow, i, checklist_name, by_id, now) if score is not None else [None] * len(i.findings)
    for f, case_id in zip(i.findings, case_ids, strict=True):
        await conn.execute(text(
            "INSERT INTO inspection_findings (org_id, project_id, inspection_id, item_id, description, severity, kind, "
            "category_code, public_area, case_id) VALUES (:o, :p, :i, :item, :d, :s, :k, :cat, :area, :case)"),
            {"o": i.org_id, "p": i.project_id, "i": inspection_id, "item": f.item_id, "d": f.description.strip(), "s": f.severity,
             "k": f.kind, "cat": category_of(f, by_id[f.item_id]), "area": (f.public_area or "").strip() or None, "case": case_id})
    return Recorded(inspection_id, tuple(c for c in case_ids if c is not None))


async def _header(conn: AsyncConnection, i: Inspection, draft_id: UUID | None, score: Score | None, now: datetime) -> UUID:
    values = {"o": i.org_id, "p": i.project_id, "c": i.checklist_id, "by": i.inspector_id, "on": i.inspected_on,
              "state": "draft", "total": None, "max": None, "score": None, "note": i.note.strip(), "at": None}
    if score is not None:
        values.update(state="submitted", total=score.awarded, max=score.possible, score=score.score, at=now)
    if draft_id is None:
        inspection_id: UUID = (await conn.execute(text(
            "INSERT INTO inspections (org_id, project_id, checklist_id, inspector_id, inspected_on, state, total_points, "
            "max_points, score, note, submitted_at) VALUES (:o, :p, :c, :by, :on, :state, :total, :max, :score, :note, :at) "
            "RETURNING id"), values)).scalar_one()
        return inspection_id
    draft = (await conn.execute(_DRAFT, {"o": i.org_id, "id": draft_id})).first()
    if draft is None:
        raise not_found("The draft inspection", "draftId", zh="检查草稿")
    if draft.state != "draft":
        raise DomainError(ErrorCode.INVALID_STATE, "该品质检查已提交，不能再修改。"
                                                   "This inspection is submitted: it can no longer change.", "draftId")
    if (draft.project_id, draft.checklist_id) != (i.project_id, i.checklist_id):
        raise invalid("草稿的项目和检查表不能更改。A draft keeps its project and checklist.", "draftId")
    await conn.execute(text("DELETE FROM inspection_results WHERE org_id = :o AND inspection_id = :id"), {"o": i.org_id, "id": draft_id})
    await conn.execute(text(
        "UPDATE inspections SET inspector_id = :by, inspected_on = :on, state = :state, total_points = :total, max_points = :max, "
        "score = :score, note = :note, submitted_at = :at WHERE org_id = :o AND id = :id"), {**values, "id": draft_id})
    return draft_id


async def _cases(uow: UnitOfWork, i: Inspection, checklist_name: str, by_id: dict[UUID, Item],
                 now: datetime) -> list[UUID]:
    if not i.findings:
        return []
    conn = uow.conn
    project = (await conn.execute(_PROJECT, {"o": uow.org_id, "p": i.project_id})).first()
    if project is None:
        raise not_found("The project", "projectId", zh="项目")
    codes = {category_of(f, by_id[f.item_id]) for f in i.findings}
    categories = {r.code: r.id for r in await conn.execute(_CATEGORIES, {"o": uow.org_id, "codes": sorted(codes)})}
    ids = []
    for f in i.findings:
        item, code = by_id[f.item_id], category_of(f, by_id[f.item_id])
        if code not in categories:
            raise not_found(f"The category {code[:40]!r}", "findings", zh=f"类别 {code[:40]!r} ")
        registered = await register_case(uow, RegisterCase(
            project_id=i.project_id, kind=CaseKind(f.kind), severity=Severity(f.severity), channel=Channel.PATROL,
            category_id=categories[code], description=case_description(checklist_name, i.inspected_on, item, f),
            public_area=f.public_area), org_id=i.org_id, receiver=Actor(i.inspector_id), now=now)
        ids.append(registered.case.id)
    return ids
