from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import CasePayload, IdempotencyKey, case_payload
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.case import CaseKindType, SeverityType
from api.graphql.types.node import from_global_id
from domain.cases.states import CaseKind, Severity
from domain.patrols.findings import CaseFromVisit, case_from_visit
from tenants.roles import Permission


@strawberry.input(description="The case a patrol finding becomes; the rest comes from the visit.")
class CaseFromPatrolVisitInput:
    kind: CaseKindType
    category: str = strawberry.field(description="Category code of the company's taxonomy (caseCategories(kind)).")
    severity: SeverityType = SeverityType.GENERAL
    description: str | None = strawberry.field(default=None, description="Default: the route, the point and the visit's note.")
    unit_id: strawberry.ID | None = strawberry.field(default=None, description="The flat; default: the point's place as public area.")


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_CREATE)],
                     description="巡查发现转工单 A visit with result ISSUE becomes a case on the PATROL channel, you its first "
                                 "receiver, with the visit's photos; the visit keeps the case (once: again is CONFLICT).")
@user_errors(CasePayload)
async def case_from_patrol_visit(info: Info, visit_id: strawberry.ID, input: CaseFromPatrolVisitInput,
                                 idempotency_key: IdempotencyKey = None) -> CasePayload:
    cmd = CaseFromVisit(visit_id=from_global_id(visit_id, "PatrolVisit", "visitId"), kind=CaseKind(input.kind.value),
                        category_code=input.category, severity=Severity(input.severity.value), description=input.description,
                        unit_id=from_global_id(input.unit_id, "Unit", "unitId") if input.unit_id else None,
                        idempotency_key=idempotency_key)
    return await case_payload(info, await case_from_visit(cmd, unit_of_work(info)))
