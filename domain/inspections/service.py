"""Inspection use cases, each in the caller's unit of work: check the permission, claim the
idempotency key, apply the rule, save, commit — the unit of work writes the audit rows the
checklist and the inspection collected. A submitted inspection's findings become cases through the one intake path
(domain/cases/intake.py, via the repository's `record`)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from domain.errors import conflict, forbidden, invalid, not_found
from domain.inspections import model
from domain.inspections.commands import CreateInspectionChecklist, RecordInspection, SetInspectionChecklistActive
from domain.inspections.repository import ChecklistRepository, Inspection, checklist_items, project_exists, record
from domain.sla.calendar import CHINA
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission

MAX_NOTE = 2000


async def create_inspection_checklist(cmd: CreateInspectionChecklist, uow: UnitOfWork) -> UUID:
    """新建检查表 of the company; a name already used is refused (name the new version)."""
    uow.require(Permission.INSPECTION_MANAGE, None)
    made = model.Checklist.create(cmd.name, cmd.items, by=uow.actor)
    async with uow:
        request = {"name": cmd.name, "items": [asdict(i) for i in cmd.items]}
        if (done := await uow.claim(cmd.idempotency_key, "createInspectionChecklist", request)) is not None:
            return UUID(done["id"])
        checklists = ChecklistRepository(uow)
        if await checklists.name_taken(made.name):
            raise conflict("已有同名的检查表，请为新版本另起名称（如 2027版）。"
                           "A checklist with this name exists: name the new version (e.g. 2027版).",
                           "name")
        await checklists.add(made)
        await uow.commit({"id": str(made.id)})
    return made.id


async def set_inspection_checklist_active(cmd: SetInspectionChecklistActive, uow: UnitOfWork) -> UUID:
    """启用/停用: inspections already made keep their checklist."""
    uow.require(Permission.INSPECTION_MANAGE, None)
    async with uow:
        request = {"checklistId": str(cmd.checklist_id), "active": cmd.active}
        if (done := await uow.claim(cmd.idempotency_key, "setInspectionChecklistActive", request)) is not None:
            return UUID(done["id"])
        checklists = ChecklistRepository(uow)
        c = await checklists.get(cmd.checklist_id)
        c.switch(cmd.active, by=uow.actor)
        await checklists.save(c)
        await uow.commit({"id": str(c.id)})
    return c.id


async def record_inspection(cmd: RecordInspection, uow: UnitOfWork) -> UUID:
    """记录品质检查: a draft, or submitted with its score and each finding a case of the project."""
    uow.require(Permission.INSPECTION_MANAGE, cmd.project_id)
    if cmd.inspector_id is None:
        raise forbidden("品质检查须由检查人本人登记，请以检查人身份登录。An inspection is made by a person: sign in as the inspector.")
    if len(cmd.note) > MAX_NOTE:
        raise invalid(f"备注最多 {MAX_NOTE} 个字符。note may have at most {MAX_NOTE} characters.", "note")
    results = [model.result(r.item_id, r.points, r.not_applicable, r.comment) for r in cmd.results]
    now = datetime.now(UTC)
    async with uow:
        if (done := await uow.claim(cmd.idempotency_key, "recordInspection", _request(cmd))) is not None:
            return UUID(done["id"])
        if not await project_exists(uow.conn, uow.org_id, cmd.project_id):
            raise not_found("The project", "projectId", zh="项目")
        name, items = await checklist_items(uow.conn, uow.org_id, cmd.checklist_id, for_new=cmd.draft_id is None)
        score = model.check(items, results, cmd.findings, inspected_on=cmd.inspected_on, today=now.astimezone(CHINA).date(),
                            submit=cmd.submit)
        recorded = await record(uow, Inspection(org_id=uow.org_id, project_id=cmd.project_id, checklist_id=cmd.checklist_id,
                                                     inspector_id=cmd.inspector_id, inspected_on=cmd.inspected_on, note=cmd.note,
                                                     results=results, findings=cmd.findings),
                                draft_id=cmd.draft_id, checklist_name=name, items=items, score=score, now=now)
        recording = model.Recording(project_id=cmd.project_id)
        recording.recorded(recorded.inspection_id, score, len(cmd.findings), by=uow.actor)
        uow.track(recording)
        await uow.commit({"id": str(recorded.inspection_id)})
    return recorded.inspection_id


def _request(cmd: RecordInspection) -> dict[str, Any]:
    """What the idempotency key is bound to: the whole input."""
    return {"projectId": str(cmd.project_id), "checklistId": str(cmd.checklist_id), "inspectedOn": cmd.inspected_on.isoformat(),
            "results": [{"itemId": str(r.item_id), "points": r.points, "na": r.not_applicable, "comment": r.comment}
                        for r in cmd.results],
            "findings": [{"itemId": str(f.item_id), "description": f.description, "severity": f.severity, "kind": f.kind,
                          "category": f.category, "publicArea": f.public_area} for f in cmd.findings],
            "note": cmd.note, "submit": cmd.submit, "draftId": str(cmd.draft_id) if cmd.draft_id else None}
