"""重发 Send a delivery that was sent once more, on purpose — for an integrator who lost it or
rebuilt its side. The same delivery id goes on the wire, so a receiver that deduplicates on
`X-Firstcall-Delivery` sees it as the one it has. Failed and waiting deliveries are not replayed:
the worker is still retrying them, and the dead letters' `retryDeadLetter` sends them again."""

from __future__ import annotations

from uuid import UUID

import strawberry
from sqlalchemy import text

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.permissions import Requires
from api.graphql.types.delivery import IN_CALLERS_PROJECTS, Delivery, delivery
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from domain.errors import DomainError, ErrorCode, not_found
from domain.events import Event
from domain.outbox import write_audit, write_event
from tenants.roles import Permission

_DELIVERY = text(
    "SELECT d.id, d.project_id, d.status, coalesce(c.kind, d.kind) AS kind, coalesce(c.active, true) AS active "
    "FROM deliveries d LEFT JOIN delivery_channels c ON c.org_id = d.org_id AND c.id = d.channel_id "
    f"WHERE d.id = :id AND {IN_CALLERS_PROJECTS} FOR UPDATE OF d"
)


@strawberry.type
class ReplayDeliveryPayload:
    delivery: Delivery | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def _refusal(row) -> DomainError | None:
    if row.kind == "letter":
        return DomainError(ErrorCode.INVALID_STATE, "A letter is printed, not sent: print it again from its referral.",
                           "deliveryId")
    if row.status != "sent":
        return DomainError(ErrorCode.INVALID_STATE,
                           "This delivery has not been sent yet: the worker is still retrying it. If it fails for good it "
                           "becomes a dead letter — send that again with retryDeadLetter.", "deliveryId")
    if not row.active:
        return DomainError(ErrorCode.INVALID_STATE, "Its channel is switched off: switch it on with setDeliveryChannelActive first.",
                           "deliveryId")
    return None


@strawberry.mutation(permission_classes=[Requires(Permission.CHANNEL_MANAGE)],
                     description="重发 Send a sent delivery once more, with the same delivery id (receivers deduplicate on it).")
async def replay_delivery(info: Info, delivery_id: strawberry.ID, idempotency_key: IdempotencyKey = None) -> ReplayDeliveryPayload:
    try:
        require_on(info, Permission.CHANNEL_MANAGE, None)
        p = info.context.require()
        did = from_global_id(delivery_id, "Delivery", "deliveryId")

        async def work(conn) -> dict:
            row = (await conn.execute(_DELIVERY, {"id": did})).first()
            if row is None:
                raise not_found("The delivery", "deliveryId")
            if (refusal := _refusal(row)) is not None:
                raise refusal
            # The worker sends a `replay` event even though the row is sent, once: the event id is its key.
            await write_event(conn, Event(topic="delivery.created", org_id=p.org_id, project_id=row.project_id,
                                          payload={"delivery_id": str(did), "replay": True}))
            await write_audit(conn, org_id=p.org_id, project_id=row.project_id, actor=p.actor, action="delivery.replayed",
                              entity="delivery", entity_id=did)
            return {"delivery_id": str(did)}

        result = await write(info, lambda conn: once(info, conn, idempotency_key, "replayDelivery",
                                                     {"deliveryId": delivery_id}, work))
    except DomainError as e:
        return ReplayDeliveryPayload(errors=[UserError.of(e)])
    return ReplayDeliveryPayload(delivery=await delivery(info, UUID(result["delivery_id"])))
