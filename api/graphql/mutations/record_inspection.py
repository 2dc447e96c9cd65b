from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.case import SeverityType
from api.graphql.types.errors import UserError
from api.graphql.types.inspection import FindingKind, Inspection, inspection
from api.graphql.types.node import from_global_id
from domain.cases.states import Severity
from domain.inspections import service
from domain.inspections.commands import ItemResult, RecordInspection
from domain.inspections.model import Finding
from tenants.roles import Permission


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


def _result(r: InspectionResultInput) -> ItemResult:
    return ItemResult(from_global_id(r.item_id, "InspectionChecklistItem", "results"), r.points, r.not_applicable, r.comment)


def _finding(f: InspectionFindingInput) -> Finding:
    category = (f.category or "").strip() or None
    return Finding(from_global_id(f.item_id, "InspectionChecklistItem", "findings"), f.description,
                   Severity(f.severity).value, f.kind.value, category, f.public_area)


@strawberry.mutation(permission_classes=[Requires(Permission.INSPECTION_MANAGE)],
                     description="记录品质检查 Score a project against a checklist; submitted, it has its score and each finding "
                                 "becomes a case of the project (channel patrol 巡访, the inspector its first receiver).")
@user_errors(InspectionPayload)
async def record_inspection(info: Info, input: RecordInspectionInput, idempotency_key: IdempotencyKey = None) -> InspectionPayload:
    p = info.context.require()
    cmd = RecordInspection(
        project_id=from_global_id(input.project_id, "Project", "projectId"),
        checklist_id=from_global_id(input.checklist_id, "InspectionChecklist", "checklistId"),
        inspector_id=p.id if p.kind == "user" else None, inspected_on=input.inspected_on,
        results=tuple(_result(r) for r in input.results), findings=tuple(_finding(f) for f in input.findings),
        note=input.note, submit=input.submit,
        draft_id=from_global_id(input.draft_id, "Inspection", "draftId") if input.draft_id else None,
        idempotency_key=idempotency_key)
    return InspectionPayload(inspection=await inspection(info, await service.record_inspection(cmd, unit_of_work(info))))
