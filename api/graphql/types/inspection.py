"""品质检查 HQ quality inspections: checklists, inspections with their results and findings.
A list is three statements whatever its length: the inspections, then all their results, then
all their findings."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from enum import Enum
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.actor import Actor, actor_by_id, actor_of
from api.graphql.types.case import Case, SeverityType
from api.graphql.types.node import Node, to_global_id
from api.graphql.types.project import Project
from domain.cases.states import Severity
from domain.inspections import reads
from domain.kpi.month import month_period
from domain.reads import Row
from domain.sla.calendar import add_months
from tenants.roles import Permission


@strawberry.enum(description="整改类型 What a finding's case is: a repair (报修) or a service to put right (报事).")
class FindingKind(Enum):
    REPAIR = "repair"
    REQUEST = "request"


STATE_LABELS = {"draft": "草稿 Draft", "submitted": "已提交 Submitted"}


@strawberry.type(description="检查项 One item of a checklist.")
class InspectionChecklistItem:
    id: strawberry.ID
    position: int
    title: str
    guidance: str
    max_points: int
    department_kind: str | None = strawberry.field(description="The kind of department it concerns, if one.")


@strawberry.type(description="检查表 A checklist of the company; its items never change, a new version is a new checklist.")
class InspectionChecklist(Node):
    name: str
    active: bool
    created_by: str = strawberry.field(description="user:<id> or api_key:<id>", deprecation_reason="Use creator.")
    created_at: datetime
    items: list[InspectionChecklistItem]

    @strawberry.field(description="Who made the checklist.")
    async def creator(self, info: Info) -> Actor:
        return await actor_of(info, self.created_by)

    @strawberry.field(description="满分 The points of all items.")
    def max_points(self) -> int:
        return sum(i.max_points for i in self.items)


@strawberry.type(description="检查结果 The points an item got.")
class InspectionResult:
    item_id: strawberry.ID
    position: int
    title: str
    max_points: int
    points: int | None = strawberry.field(description="Null: not applicable (不适用).")
    not_applicable: bool
    comment: str


@strawberry.type(description="整改项 A deduction that needs rectification; submitted, it is a case of the project.")
class InspectionFinding:
    id: strawberry.ID
    item_id: strawberry.ID
    position: int
    description: str
    severity: SeverityType
    kind: FindingKind = strawberry.field(description="The kind of its case.")
    category: str
    public_area: str | None
    case_id: strawberry.ID | None = strawberry.field(description="The case it became; null while the inspection is a draft.")

    @strawberry.field(description="The case it became, if visible.")
    async def case(self, info: Info) -> Case | None:
        if self.case_id is None:
            return None
        row = await info.context.loaders.case_by_id.load(self.case_uuid)
        return Case.from_row(row) if row else None

    case_uuid: strawberry.Private[UUID | None] = None


@strawberry.type(description="品质检查 One inspection of a project.")
class Inspection(Node):
    project_id: strawberry.ID
    checklist_id: strawberry.ID
    checklist_name: str
    inspector_id: strawberry.ID
    inspected_on: date = strawberry.field(description="The Beijing day of the inspection.")
    state: str = strawberry.field(description="draft or submitted")
    total_points: int | None
    max_points: int | None = strawberry.field(description="The points of the applicable items.")
    score: float | None = strawberry.field(description="100 × points / max points; null for a draft.")
    note: str
    created_at: datetime
    submitted_at: datetime | None
    results: list[InspectionResult]
    findings: list[InspectionFinding]
    project_uuid: strawberry.Private[UUID]
    inspector_uuid: strawberry.Private[UUID]

    @strawberry.field
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @strawberry.field(description="The project inspected, if visible.")
    async def project(self, info: Info) -> Project | None:
        row = await info.context.loaders.project_by_id.load(self.project_uuid)
        return Project.from_row(row) if row else None

    @strawberry.field(description="检查人 Who inspected.")
    async def inspector(self, info: Info) -> Actor:
        return await actor_by_id(info, self.inspector_uuid)


def _checklist(r: Row, items: list[Row]) -> InspectionChecklist:
    return InspectionChecklist(
        id=to_global_id("InspectionChecklist", r.id), name=r.name, active=r.active, created_by=r.created_by, created_at=r.created_at,
        items=[InspectionChecklistItem(id=to_global_id("InspectionChecklistItem", i.id), position=i.position, title=i.title,
                                       guidance=i.guidance, max_points=i.max_points, department_kind=i.department_kind)
               for i in items])


async def checklists(info: Info, checklist_id: UUID | None = None, include_inactive: bool = True) -> list[InspectionChecklist]:
    db = info.context.db
    rows = await reads.checklists(db, checklist_id, include_inactive)
    items: dict[UUID, list[Row]] = defaultdict(list)
    if rows:
        for i in await reads.checklist_items(db, [r.id for r in rows]):
            items[i.checklist_id].append(i)
    return [_checklist(r, items[r.id]) for r in rows]


async def checklist(info: Info, checklist_id: UUID) -> InspectionChecklist | None:
    found = await checklists(info, checklist_id)
    return found[0] if found else None


async def _complete(info: Info, rows: list[Row]) -> list[Inspection]:
    db = info.context.db
    results: dict[UUID, list[InspectionResult]] = defaultdict(list)
    findings: dict[UUID, list[InspectionFinding]] = defaultdict(list)
    if rows:
        ids = [r.id for r in rows]
        for r in await reads.results(db, ids):
            results[r.inspection_id].append(InspectionResult(
                item_id=to_global_id("InspectionChecklistItem", r.item_id), position=r.position, title=r.title, max_points=r.max_points,
                points=r.points, not_applicable=r.not_applicable, comment=r.comment))
        for f in await reads.findings(db, ids):
            findings[f.inspection_id].append(InspectionFinding(
                id=to_global_id("InspectionFinding", f.id), item_id=to_global_id("InspectionChecklistItem", f.item_id),
                position=f.position, description=f.description, severity=Severity(f.severity), kind=FindingKind(f.kind),
                category=f.category_code, public_area=f.public_area,
                case_id=to_global_id("Case", f.case_id) if f.case_id else None, case_uuid=f.case_id))
    return [Inspection(
        id=to_global_id("Inspection", r.id), project_id=to_global_id("Project", r.project_id),
        checklist_id=to_global_id("InspectionChecklist", r.checklist_id), checklist_name=r.checklist_name,
        inspector_id=to_global_id("User", r.inspector_id), inspected_on=r.inspected_on, state=r.state, total_points=r.total_points,
        max_points=r.max_points, score=r.score, note=r.note, created_at=r.created_at, submitted_at=r.submitted_at,
        results=results[r.id], findings=findings[r.id], project_uuid=r.project_id, inspector_uuid=r.inspector_id) for r in rows]


def month_bounds(month: date | None) -> tuple[date, date]:
    """The Beijing month asked for (this one by default): [first day, first day of the next)."""
    first, _ = month_period(month)
    return first, add_months(first, 1)


def _visible(info: Info, rows: list[Row]) -> list[Row]:
    """A draft is the inspector's work in progress (partial points, unfinished comments): shown
    only to those who may inspect that project, never to the project's own staff."""
    p = info.context.require()
    return [r for r in rows if r.state != "draft" or p.can(Permission.INSPECTION_MANAGE, r.project_id)]


async def inspections(info: Info, project_id: UUID | None, month: date | None) -> list[Inspection]:
    since, until = month_bounds(month)
    rows = await reads.inspections(info.context.db, since, until, project_id)
    return await _complete(info, _visible(info, rows))


async def inspection(info: Info, inspection_id: UUID) -> Inspection | None:
    found = await _complete(info, _visible(info, await reads.inspection(info.context.db, inspection_id)))
    return found[0] if found else None
