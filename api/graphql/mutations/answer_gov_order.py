from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.gov_order import GovOrder, gov_order
from api.graphql.types.node import from_global_id
from domain.gov import service
from domain.gov.commands import AnswerOrder
from domain.gov.model import AnswerKind
from tenants.roles import Permission

GovAnswerKind = strawberry.enum(AnswerKind, name="GovAnswerKind", description="回复类型 Progress, the result, or not within our remit.")


@strawberry.type
class GovOrderPayload:
    order: GovOrder | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(
    permission_classes=[Requires(Permission.GOV_ORDER_ANSWER)],
    description="回复12345 Answer an order back through its bridge, signed: progress any time before the result; the result once "
                "the case is resolved; RETURNED (不属于本单位职责) with its reason, by a supervisor — it also declines the case "
                "with a written reply.")
@user_errors(GovOrderPayload)
async def answer_gov_order(info: Info, order_id: strawberry.ID, kind: GovAnswerKind, text: str | None = None,
                           reason: str | None = None, body_id: strawberry.ID | None = None,
                           idempotency_key: IdempotencyKey = None) -> GovOrderPayload:
    cmd = AnswerOrder(from_global_id(order_id, "GovOrder", "orderId"), AnswerKind(kind.value),
                      actor_id=info.context.require().id, text=text, reason=reason,
                      body_id=from_global_id(body_id, "OutsideBody", "bodyId") if body_id else None,
                      idempotency_key=idempotency_key)
    return GovOrderPayload(order=await gov_order(info, await service.answer_order(cmd, unit_of_work(info))))
