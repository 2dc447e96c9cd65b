from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

import strawberry
from sqlalchemy import text

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.permissions import Requires
from api.graphql.types.case import SeverityType
from api.graphql.types.errors import UserError
from api.graphql.types.inspection import FindingKind, Inspection, inspection
from api.graphql.types.node import from_global_id
from domain.cases.states import Severity
from domain.errors import forbidden, invalid, not_found
from domain.inspections import model
from domain.inspections.repository import Inspection as Record
from domain.inspections.repository import checklist_items, record
from domain.sla.calendar import CHINA
from tenants.roles import Permission

MAX_NOTE = 2000


@strawberry.input(description="An item's points, or notApplicable (不适用); a deduction needs its reason in comment.")
class InspectionResultInput:
    item_id: strawberry.ID
    points: int | None = None
    not_applicable: bool = False
    comment: str = ""


@strawberry.input(description="整改项 A deduction that needs rectification; on submission it becomes a case of the project.")
class InspectionFindingInput:
    item_id: strawberry.ID
    description: str
    severity: SeverityType = SeverityType.GENERAL
    kind: FindingKind = FindingKind.REPAIR
    category: str | None = strawberry.field(default=None, description="Category code of the case; by default from the item's "
                                                                       "department (engineering → facilities …, else other).")
    public_area: str | None = None


@strawberry.input
class RecordInspectionInput:
    project_id: strawberry.ID
    checklist_id: strawberry.ID
    inspected_on: date = strawberry.field(description="The Beijing day of the inspection; not in the future.")
    results: list[InspectionResultInput]
    findings: list[InspectionFindingInput] = strawberry.field(default_factory=list)
    note: str = ""
    submit: bool = strawberry.field(default=True, description="false keeps a draft (partial, no score, no cases).")
    draft_id: strawberry.ID | None = strawberry.field(default=None, description="Continue this draft instead of starting anew.")


@strawberry.type
class InspectionPayload:
    inspection: Inspection | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def _result(r: InspectionResultInput) -> model.Result:
    if r.not_applicable and r.points is not None:
        raise invalid("An item not applicable has no points.", "results")
    if not r.not_applicable and r.points is None:
        raise invalid("Give every item its points, or mark it not applicable.", "results")
    return model.Result(from_global_id(r.item_id, "InspectionChecklistItem", "results"), r.points, r.comment)


def _finding(f: InspectionFindingInput) -> model.Finding:
    category = (f.category or "").strip() or None
    return model.Finding(from_global_id(f.item_id, "InspectionChecklistItem", "findings"), f.description,
                         Severity(f.severity).value, f.kind.value, category, f.public_area)


def _payload(i: RecordInspectionInput) -> dict:
    return {"projectId": i.project_id, "checklistId": i.checklist_id, "inspectedOn": i.inspected_on.isoformat(),
            "results": [{"itemId": r.item_id, "points": r.points, "na": r.not_applicable, "comment": r.comment} for r in i.results],
            "findings": [{"itemId": f.item_id, "description": f.description, "severity": Severity(f.severity).value,
                          "kind": f.kind.value, "category": f.category, "publicArea": f.public_area} for f in i.findings],
            "note": i.note, "submit": i.submit, "draftId": i.draft_id}


@strawberry.mutation(permission_classes=[Requires(Permission.INSPECTION_MANAGE)],
                     description="记录品质检查 Score a project against a checklist; submitted, it has its score and each finding "
                                 "becomes a case of the project (channel patrol 巡访, the inspector its first receiver).")
@user_errors(InspectionPayload)
async def record_inspection(info: Info, input: RecordInspectionInput, idempotency_key: IdempotencyKey = None) -> InspectionPayload:
    project_id = from_global_id(input.project_id, "Project", "projectId")
    require_on(info, Permission.INSPECTION_MANAGE, project_id)
    p = info.context.require()
    if p.kind != "user":
        raise forbidden("An inspection is made by a person: sign in as the inspector.")
    checklist_id = from_global_id(input.checklist_id, "InspectionChecklist", "checklistId")
    draft_id = from_global_id(input.draft_id, "Inspection", "draftId") if input.draft_id else None
    if len(input.note) > MAX_NOTE:
        raise invalid(f"note may have at most {MAX_NOTE} characters.", "note")
    results, findings = [_result(r) for r in input.results], [_finding(f) for f in input.findings]
    now = datetime.now(UTC)

    async def work(conn) -> dict:
        if (await conn.execute(text("SELECT 1 FROM projects WHERE id = :p"), {"p": project_id})).first() is None:
            raise not_found("The project", "projectId")
        name, items = await checklist_items(conn, checklist_id, for_new=draft_id is None)
        score = model.check(items, results, findings, inspected_on=input.inspected_on, today=now.astimezone(CHINA).date(),
                            submit=input.submit)
        done = await record(conn, Record(org_id=p.org_id, project_id=project_id, checklist_id=checklist_id, inspector_id=p.id,
                                         inspected_on=input.inspected_on, note=input.note, results=results, findings=findings),
                            draft_id=draft_id, checklist_name=name, items=items, score=score, now=now, actor=p.actor)
        return {"id": str(done.inspection_id)}

    result = await write(info, lambda conn: once(info, conn, idempotency_key, "recordInspection", _payload(input), work))
    return InspectionPayload(inspection=await inspection(info, UUID(result["id"])))
