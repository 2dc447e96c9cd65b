from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.gov_order import GovCityDeadline, GovUrgency, gov_city_deadlines
from domain.errors import invalid
from domain.gov import repository as gov
from domain.gov.model import Deadlines, Urgency, check_city
from domain.outbox import write_audit
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
    require_on(info, Permission.GOV_BRIDGE_MANAGE, None)
    p = info.context.require()
    name = check_city(city)
    chosen: dict[Urgency, Deadlines] = {}
    for d in deadlines:
        urgency = Urgency(d.urgency.value)
        if urgency in chosen:
            raise invalid(f"{urgency.value} is given twice.", "deadlines")
        chosen[urgency] = Deadlines(d.response_minutes, d.resolve_minutes).check(urgency.value)

    async def work(conn) -> dict:
        await gov.set_city_deadlines(conn, p.org_id, name, chosen)
        await write_audit(conn, org_id=p.org_id, project_id=None, actor=p.actor, action="gov.city_deadlines_set",
                          entity="gov_city_deadlines", entity_id=None,
                          data={"city": name, **{u.value: [d.response_minutes, d.resolve_minutes] for u, d in chosen.items()}})
        return {"ok": True}

    payload = {"city": name, "deadlines": [[d.urgency.value, d.response_minutes, d.resolve_minutes] for d in deadlines]}
    await write(info, lambda conn: once(info, conn, idempotency_key, "setGovCityDeadlines", payload, work))
    return GovCityDeadlinesPayload(deadlines=await gov_city_deadlines(info, name))
