from __future__ import annotations

from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.gov_order import GovOrder, gov_order
from api.graphql.types.node import from_global_id
from domain.errors import DomainError
from domain.gov import service as gov
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
async def answer_gov_order(info: Info, order_id: strawberry.ID, kind: GovAnswerKind, text: str | None = None,
                           reason: str | None = None, body_id: strawberry.ID | None = None,
                           idempotency_key: IdempotencyKey = None) -> GovOrderPayload:
    try:
        oid = from_global_id(order_id, "GovOrder", "orderId")
        body = from_global_id(body_id, "OutsideBody", "bodyId") if body_id else None
        command = AnswerOrder(oid, AnswerKind(kind.value), text=text, reason=reason, body_id=body)
        p = info.context.require()

        def authorize(project_id: UUID) -> None:
            require_on(info, Permission.GOV_ORDER_ANSWER, project_id)

        await write(info, lambda conn: once(info, conn, idempotency_key, "answerGovOrder", {
            "orderId": order_id, "kind": kind.value, "text": text, "reason": reason, "bodyId": body_id},
            lambda conn: gov.answer_order(conn, command, principal=p, authorize=authorize)))
    except DomainError as e:
        return GovOrderPayload(errors=[UserError.of(e)])
    return GovOrderPayload(order=await gov_order(info, oid))
