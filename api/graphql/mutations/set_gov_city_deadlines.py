from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.gov_order import GovCityDeadline, GovUrgency, gov_city_deadlines
from domain.gov import service
from domain.gov.commands import SetGovCityDeadlines
from domain.gov.model import Urgency
from tenants.roles import Permission


@strawberry.input(description="One urgency's deadlines in minutes.")
class GovCityDeadlineInput:
    urgency: GovUrgency
    response_minutes: int = strawberry.field(description="签收 The first answer back, in minutes.")
    resolve_minutes: int = strawberry.field(description="办结 The result, in minutes.")


@strawberry.type
class GovCityDeadlinesPayload:
    deadlines: list[GovCityDeadline] = strawberry.field(default_factory=list)
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.GOV_BRIDGE_MANAGE)],
                     description="城市时限 A city's 12345 deadlines for the whole company; urgencies left out take the defaults. "
                                 "New orders use them; orders already received keep theirs.")
@user_errors(GovCityDeadlinesPayload)
async def set_gov_city_deadlines(info: Info, city: str, deadlines: list[GovCityDeadlineInput],
                                 idempotency_key: IdempotencyKey = None) -> GovCityDeadlinesPayload:
    cmd = SetGovCityDeadlines(city=city, idempotency_key=idempotency_key, deadlines=tuple(
        (Urgency(d.urgency.value), d.response_minutes, d.resolve_minutes) for d in deadlines))
    city = await service.set_gov_city_deadlines(cmd, unit_of_work(info))
    return GovCityDeadlinesPayload(deadlines=await gov_city_deadlines(info, city))
