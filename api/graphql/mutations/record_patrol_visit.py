from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._patrol import PatrolVisitPayload, visit_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from api.graphql.types.patrol import PatrolResult
from domain.patrols import service
from domain.patrols.commands import RecordVisit, Talk
from tenants.roles import Permission


@strawberry.input(description="与业主沟通 The owner talked with on a 巡访 walk: the flat, or the resident (their flat follows).")
class PatrolTalkInput:
    unit_id: strawberry.ID | None = None
    resident_id: strawberry.ID | None = None
    note: str = strawberry.field(description="What was said, up to 1,000 characters.")


@strawberry.input(description="打卡 One point of the run: scanned (pointToken, the QR code's content) or picked (pointId).")
class RecordPatrolVisitInput:
    run_id: strawberry.ID
    point_token: str | None = strawberry.field(default=None, description=(
        "fc:pp:<token> as scanned, or the token typed: whole, or its last six characters or more "
        "(as printed under the code) for a point of the run's route."))
    point_id: strawberry.ID | None = None
    result: PatrolResult
    note: str = strawberry.field(default="", description="Up to 1,000 characters; required with ISSUE.")
    photos: list[str] | None = strawberry.field(default=None, description="At most 9 https:// upload links.")
    talk: PatrolTalkInput | None = None


@strawberry.mutation(permission_classes=[Requires(Permission.PATROL_RECORD)],
                     description="巡查打卡 Record a point of the run inside its window (else OUT_OF_WINDOW, reason "
                                 "PATROL_CLOSED); a point of another route is VALIDATION. Again at the same point replaces it.")
@user_errors(PatrolVisitPayload)
async def record_patrol_visit(info: Info, input: RecordPatrolVisitInput, idempotency_key: IdempotencyKey = None) -> PatrolVisitPayload:
    talk = None
    if input.talk is not None:
        talk = Talk(unit_id=from_global_id(input.talk.unit_id, "Unit", "talk.unitId") if input.talk.unit_id else None,
                    resident_id=(from_global_id(input.talk.resident_id, "Resident", "talk.residentId")
                                 if input.talk.resident_id else None), note=input.talk.note)
    cmd = RecordVisit(run_id=from_global_id(input.run_id, "PatrolRun", "runId"), point_token=input.point_token,
                      point_id=from_global_id(input.point_id, "PatrolPoint", "pointId") if input.point_id else None,
                      result=input.result.value, note=input.note, photos=tuple(input.photos or ()), talk=talk,
                      idempotency_key=idempotency_key)
    return await visit_payload(info, await service.record_visit(cmd, unit_of_work(info)))
