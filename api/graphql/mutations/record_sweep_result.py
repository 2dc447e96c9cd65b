from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._sweep import SweepPayload, parse_sweep_id, sweep_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.hazard import HazardCategory, HazardGrade
from api.graphql.types.node import from_global_id
from api.graphql.types.sweep import SweepResult
from domain.hazards.commands import ReportHazard
from domain.sweeps import service
from domain.sweeps.commands import RecordSweepResult
from tenants.roles import Permission


@strawberry.input(description="排查发现的隐患 What was found; it goes on the register with the sweep as its source.")
class SweepHazardInput:
    title: str
    category: HazardCategory
    grade: HazardGrade
    description: str = ""
    building_id: strawberry.ID | None = None
    unit_id: strawberry.ID | None = None
    place: str = ""
    photos: list[str] | None = None


@strawberry.mutation(permission_classes=[Requires(Permission.SWEEP_RECORD)],
                     description="登记排查结果 One checklist item's result for a project; a HAZARD result names the hazard, "
                                 "put on the register at once. Recorded again, an item's result is replaced (not a hazard's).")
@user_errors(SweepPayload)
async def record_sweep_result(info: Info, sweep_id: strawberry.ID, project_id: strawberry.ID, item_code: str,
                              result: SweepResult, note: str = "", hazard: SweepHazardInput | None = None,
                              idempotency_key: IdempotencyKey = None) -> SweepPayload:
    sweep, project = parse_sweep_id(sweep_id), from_global_id(project_id, "Project", "projectId")
    found = None
    if hazard is not None:
        found = ReportHazard(project_id=project, source="sweep", source_id=sweep, title=hazard.title,
                             category=hazard.category.value, grade=hazard.grade.value, description=hazard.description,
                             building_id=from_global_id(hazard.building_id, "Building", "buildingId") if hazard.building_id else None,
                             unit_id=from_global_id(hazard.unit_id, "Unit", "unitId") if hazard.unit_id else None,
                             place=hazard.place, photos=tuple(hazard.photos or ()))
    cmd = RecordSweepResult(sweep_id=sweep, project_id=project, item_code=item_code, result=result.value, note=note,
                            hazard=found, idempotency_key=idempotency_key)
    return await sweep_payload(info, sweep, await service.record_sweep_result(cmd, unit_of_work(info)))
