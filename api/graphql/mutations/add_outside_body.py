from __future__ import annotations

from uuid import UUID

import strawberry
from sqlalchemy import text

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._secret import signing_secret
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from api.graphql.types.outside_body import OutsideBody, OutsideBodyDelivery, OutsideBodyKind, outside_body
from domain.errors import conflict, not_found
from domain.outbox import write_audit
from domain.referrals.model import BodyKind, BodySpec, DeliveryMethod, check_body
from tenants.roles import Permission

_INSERT = text(
    "INSERT INTO outside_bodies (org_id, project_id, kind, name, contact_name, contact_phone, address, delivery, webhook_url, "
    "  email, secret_enc, feedback_days, created_by) "
    "VALUES (:o, :p, :kind, :name, :cn, :cp, :addr, :delivery, :url, :email, :secret, :days, :by) RETURNING id"
)
_SAME_NAME = text("SELECT 1 FROM outside_bodies WHERE project_id = :p AND name = :n")


@strawberry.input(description="外部单位 An outside body: who it is and how a referral reaches it.")
class OutsideBodyInput:
    project_id: strawberry.ID
    kind: OutsideBodyKind
    name: str
    delivery: OutsideBodyDelivery
    webhook_url: str | None = strawberry.field(default=None, description="For delivery WEBHOOK: an https URL of a public address, checked again at every send.")
    email: str | None = strawberry.field(default=None, description="For delivery EMAIL.")
    contact_name: str | None = None
    contact_phone: str | None = None
    address: str | None = strawberry.field(default=None, description="Postal address; required for delivery LETTER.")
    feedback_days: int = strawberry.field(default=5, description="1–90 calendar days to answer a referral.")


@strawberry.type
class OutsideBodyPayload:
    body: OutsideBody | None = None
    secret: str | None = strawberry.field(default=None, description=(
        "The signing secret, shown this once: we sign what we send with it, and the body signs its answers with it."))
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.OUTSIDE_BODY_MANAGE)],
                     description="添加外部单位 Register an outside body of a project.")
@user_errors(OutsideBodyPayload)
async def add_outside_body(info: Info, input: OutsideBodyInput, idempotency_key: IdempotencyKey = None) -> OutsideBodyPayload:
    project = from_global_id(input.project_id, "Project", "projectId")
    require_on(info, Permission.OUTSIDE_BODY_MANAGE, project)
    p = info.context.require()
    spec = check_body(BodySpec(BodyKind(input.kind.value), input.name, DeliveryMethod(input.delivery.value), input.webhook_url,
                               input.email, input.contact_name, input.contact_phone, input.address, input.feedback_days),
                      allow_loopback=info.context.platform.settings.allow_loopback_deliveries)
    # Only a webhook body gets a secret now, shown in this answer only: a replayed key gets the body.
    made: list[str] = []

    async def work(conn) -> dict:
        secret, stored = signing_secret(info) if spec.delivery is DeliveryMethod.WEBHOOK else (None, None)
        if not (await conn.execute(text("SELECT 1 FROM projects WHERE id = :p"), {"p": project})).first():
            raise not_found("The project", "projectId")
        if (await conn.execute(_SAME_NAME, {"p": project, "n": spec.name})).first():
            raise conflict("A body of this name is already registered for the project.", "name")
        body_id = (await conn.execute(_INSERT, {
            "o": p.org_id, "p": project, "kind": spec.kind.value, "name": spec.name, "cn": spec.contact_name,
            "cp": spec.contact_phone, "addr": spec.address, "delivery": spec.delivery.value, "url": spec.webhook_url,
            "email": spec.email, "secret": stored,
            "days": spec.feedback_days, "by": p.actor})).scalar_one()
        await write_audit(conn, org_id=p.org_id, project_id=project, actor=p.actor, action="outside_body.added",
                          entity="outside_body", entity_id=body_id,
                          data={"kind": spec.kind.value, "name": spec.name, "delivery": spec.delivery.value})
        made.extend([secret] if secret else [])
        return {"body_id": str(body_id)}

    payload = {k: (v.value if hasattr(v, "value") else v) for k, v in vars(input).items()}
    result = await write(info, lambda conn: once(info, conn, idempotency_key, "addOutsideBody", payload, work))
    return OutsideBodyPayload(body=await outside_body(info, UUID(result["body_id"])), secret=made[0] if made else None)
