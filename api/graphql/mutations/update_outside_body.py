from __future__ import annotations

from uuid import UUID

import strawberry
from sqlalchemy import text

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.mutations._secret import signing_secret
from api.graphql.mutations.add_outside_body import OutsideBodyPayload
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from api.graphql.types.outside_body import OutsideBodyDelivery, outside_body
from domain.errors import not_found
from domain.outbox import write_audit
from domain.referrals import repository
from domain.referrals.model import BodyKind, BodySpec, DeliveryMethod, check_body
from tenants.roles import Permission

_UPDATE = text(
    "UPDATE outside_bodies SET contact_name = :cn, contact_phone = :cp, address = :addr, delivery = :delivery, "
    "  webhook_url = :url, email = :email, feedback_days = :days, active = :active, secret_enc = coalesce(secret_enc, :secret) "
    "WHERE id = :id"
)


@strawberry.input(description="What changes; a field left out keeps its value. Open referrals keep their due time.")
class OutsideBodyChanges:
    contact_name: str | None = None
    contact_phone: str | None = None
    address: str | None = None
    delivery: OutsideBodyDelivery | None = None
    webhook_url: str | None = None
    email: str | None = None
    feedback_days: int | None = None
    active: bool | None = None


@strawberry.mutation(permission_classes=[Requires(Permission.OUTSIDE_BODY_MANAGE)],
                     description="修改外部单位 Change a body's contacts, delivery, feedback days, or switch it on or off.")
@user_errors(OutsideBodyPayload)
async def update_outside_body(info: Info, body_id: strawberry.ID, changes: OutsideBodyChanges,
                              idempotency_key: IdempotencyKey = None) -> OutsideBodyPayload:
    secret: str | None = None
    bid = from_global_id(body_id, "OutsideBody", "bodyId")
    p = info.context.require()

    async def work(conn) -> dict:
        nonlocal secret
        b = await repository.body(conn, bid)
        if b is None:
            raise not_found("The outside body", "bodyId")
        require_on(info, Permission.OUTSIDE_BODY_MANAGE, b.project_id)
        delivery = DeliveryMethod(changes.delivery.value) if changes.delivery else DeliveryMethod(b.delivery)

        def pick(new, old, this: DeliveryMethod):
            # The address of another delivery method is dropped when the method changes.
            return new if new is not None else (old if delivery is this else None)

        spec = check_body(BodySpec(
            BodyKind(b.kind), b.name, delivery, pick(changes.webhook_url, b.webhook_url, DeliveryMethod.WEBHOOK),
            pick(changes.email, b.email, DeliveryMethod.EMAIL),
            b.contact_name if changes.contact_name is None else changes.contact_name,
            b.contact_phone if changes.contact_phone is None else changes.contact_phone,
            b.address if changes.address is None else changes.address,
            b.feedback_days if changes.feedback_days is None else changes.feedback_days),
            allow_loopback=info.context.platform.settings.allow_loopback_deliveries)
        stored = None
        if spec.delivery is DeliveryMethod.WEBHOOK and b.secret_enc is None:
            secret, stored = signing_secret(info)  # a body newly reached by webhook needs one; shown once
        active = b.active if changes.active is None else changes.active
        await conn.execute(_UPDATE, {
            "id": bid, "cn": spec.contact_name, "cp": spec.contact_phone, "addr": spec.address, "delivery": spec.delivery.value,
            "url": spec.webhook_url, "email": spec.email, "days": spec.feedback_days, "active": active,
            "secret": stored})
        await write_audit(conn, org_id=p.org_id, project_id=b.project_id, actor=p.actor, action="outside_body.updated",
                          entity="outside_body", entity_id=bid,
                          data={"delivery": spec.delivery.value, "feedback_days": spec.feedback_days, "active": active})
        return {"body_id": str(bid)}

    payload = {"bodyId": body_id, **{k: (v.value if hasattr(v, "value") else v) for k, v in vars(changes).items()}}
    await write(info, lambda conn: once(info, conn, idempotency_key, "updateOutsideBody", payload, work))
    return OutsideBodyPayload(body=await outside_body(info, UUID(str(bid))), secret=secret)
