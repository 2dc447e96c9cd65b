from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from api.graphql.types.staff_visit import StaffVisit, StaffVisitOutcome
from domain.cases import staff_visit_repository, staff_visits
from tenants.roles import Permission


@strawberry.type
class StaffVisitPayload:
    staff_visit: StaffVisit | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_FOLLOW_UP)],
                     description="投诉回访员工 Record a return visit to a member of staff a complaint was about: by someone "
                                 "else, on a complaint of the project, with the outcome and what was said.")
@user_errors(StaffVisitPayload)
async def record_staff_visit(info: Info, case_id: strawberry.ID, user_id: strawberry.ID, outcome: StaffVisitOutcome, note: str,
                             idempotency_key: IdempotencyKey = None) -> StaffVisitPayload:
    case = from_global_id(case_id, "Case", "caseId")
    cmd = staff_visits.RecordStaffVisit(case_id=case, user_id=from_global_id(user_id, "User", "userId"),
                                        outcome=outcome.value, note=note, idempotency_key=idempotency_key)
    visit_id = await staff_visits.record_staff_visit(cmd, unit_of_work(info))
    rows = await staff_visit_repository.by_case(info.context.db, [case])
    return StaffVisitPayload(staff_visit=next((StaffVisit.from_row(r) for r in rows if r.id == visit_id), None))
