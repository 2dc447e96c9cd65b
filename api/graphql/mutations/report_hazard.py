from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._hazard import HazardPayload, hazard_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.hazard import HazardCategory, HazardGrade, HazardSource
from api.graphql.types.node import from_global_id, parse_global_id
from domain.hazards import service
from domain.hazards.commands import ReportHazard
from tenants.roles import Permission

_SOURCE_TYPES = {"patrol": "PatrolVisit", "inspection": "Inspection", "case": "Case"}


@strawberry.input(description="隐患上报 What was seen, where, how grave, and what it was seen in.")
class ReportHazardInput:
    project_id: strawberry.ID
    source: HazardSource
    source_id: strawberry.ID | None = strawberry.field(default=None, description="The PatrolVisit, Inspection or Case it "
                                                                                 "was seen in; null for REPORT.")
    title: str = strawberry.field(description="1–100 characters")
    description: str = strawberry.field(default="", description="Up to 2,000 characters.")
    category: HazardCategory
    grade: HazardGrade = strawberry.field(description="The deadline follows from it until one is assigned.")
    building_id: strawberry.ID | None = None
    unit_id: strawberry.ID | None = None
    place: str = strawberry.field(default="", description="位置 Up to 200 characters, e.g. 地下车库B2消防泵房.")
    photos: list[str] | None = strawberry.field(default=None, description="Up to nine https:// links.")


@strawberry.mutation(permission_classes=[Requires(Permission.HAZARD_REPORT)],
                     description="上报隐患 Put a hazard on the register; its grade gives the deadline, past which it climbs "
                                 "the ladder. A MAJOR hazard raises a red alert at once.")
@user_errors(HazardPayload)
async def report_hazard(info: Info, input: ReportHazardInput, idempotency_key: IdempotencyKey = None) -> HazardPayload:
    source = input.source.value
    kind = _SOURCE_TYPES.get(source)
    source_id = None
    if input.source_id:  # a REPORT or SWEEP with a record named is refused by the service, by its rule
        source_id = from_global_id(input.source_id, kind, "sourceId") if kind else parse_global_id(input.source_id, "sourceId")[1]
    cmd = ReportHazard(project_id=from_global_id(input.project_id, "Project", "projectId"), source=source, source_id=source_id,
                       title=input.title, description=input.description, category=input.category.value,
                       grade=input.grade.value,
                       building_id=from_global_id(input.building_id, "Building", "buildingId") if input.building_id else None,
                       unit_id=from_global_id(input.unit_id, "Unit", "unitId") if input.unit_id else None,
                       place=input.place, photos=tuple(input.photos or ()), idempotency_key=idempotency_key)
    return await hazard_payload(info, await service.report_hazard(cmd, unit_of_work(info)))
