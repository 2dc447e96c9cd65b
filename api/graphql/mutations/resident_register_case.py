from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._resident_case import ResidentCasePayload, resident_case_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.case import CaseKindType
from api.graphql.types.node import from_global_id
from domain.cases.states import CaseKind, Channel
from domain.residents import case_service
from tenants.roles import Permission


@strawberry.input
class ResidentRegisterCaseInput:
    kind: CaseKindType = strawberry.field(description="REPAIR, COMPLAINT, INQUIRY, REQUEST, SUGGESTION or PRAISE.")
    category: str = strawberry.field(description="Category code of the company's taxonomy, e.g. water_power (docs/owner-app.md).")
    description: str
    unit_id: strawberry.ID | None = strawberry.field(default=None, description="One of residentSelf.units; or give publicArea.")
    public_area: str | None = None
    photos: list[str] | None = strawberry.field(default=None, description="Photo references (upload URLs), at most 20.")


@strawberry.mutation(permission_classes=[Requires(Permission.RESIDENT_SELF)],
                     description="报事报修 The resident registers a case for one of their flats or a public area. The API key "
                                 "that signed them in is its first receiver; 5 a day and 20 a month per resident.")
@user_errors(ResidentCasePayload)
async def resident_register_case(
    info: Info, input: ResidentRegisterCaseInput,
    idempotency_key: IdempotencyKey = None,
) -> ResidentCasePayload:
    p = info.context.require()
    assert p.key_projects is not None and p.resident_key_id is not None  # a resident principal names both
    cmd = case_service.ResidentCase(
        resident_id=p.id, project_id=next(iter(p.key_projects)), key_id=p.resident_key_id,
        channel=Channel(p.resident_channel or "app"), kind=CaseKind(input.kind.value), category=input.category,
        description=input.description, unit_id=from_global_id(input.unit_id, "Unit", "unitId") if input.unit_id else None,
        unit_ref=input.unit_id, public_area=input.public_area, photos=tuple(input.photos or ()),
        photos_sent=input.photos is not None, idempotency_key=idempotency_key)
    return await resident_case_payload(info, await case_service.register_case(cmd, unit_of_work(info)))
