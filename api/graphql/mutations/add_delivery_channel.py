from __future__ import annotations

from uuid import UUID

import strawberry
from sqlalchemy import text

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.permissions import Requires
from api.graphql.types.delivery import ChannelKind, DeliveryChannel, delivery_channel
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from domain.errors import not_found
from domain.notifications.channels import ChannelKind as Kind, ChannelSpec, check_channel
from domain.outbox import write_audit
from tenants.roles import Permission

_INSERT = text(
    "INSERT INTO delivery_channels (org_id, project_id, kind, name, target, secret_enc, topics, min_level, per_minute, created_by) "
    "VALUES (:o, :p, :k, :n, :t, :s, :topics, :lvl, :pm, :by) RETURNING id"
)


@strawberry.input(description="A channel: kind, where, which events. Webhooks need a signing secret; DingTalk robots take theirs (加签) if set.")
class DeliveryChannelInput:
    kind: ChannelKind
    name: str
    target: str = strawberry.field(description="https URL of a public address (webhook, robot; checked again at every send) or e-mail address.")
    topics: list[str] = strawberry.field(description="e.g. case.escalated, case.committed, case.resolved, calendar.missing")
    secret: str | None = None
    min_level: str | None = strawberry.field(default=None, description="For escalations: remind, l1, l2 or l3 and above.")
    per_minute: int = 20
    project_id: strawberry.ID | None = strawberry.field(default=None, description="Null: every project.")


@strawberry.type
class DeliveryChannelPayload:
    channel: DeliveryChannel | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.CHANNEL_MANAGE)], description="添加通知渠道 Add a delivery channel.")
@user_errors(DeliveryChannelPayload)
async def add_delivery_channel(info: Info, input: DeliveryChannelInput, idempotency_key: IdempotencyKey = None) -> DeliveryChannelPayload:
    require_on(info, Permission.CHANNEL_MANAGE, None)
    p = info.context.require()
    project = from_global_id(input.project_id, "Project", "projectId") if input.project_id else None
    spec = check_channel(ChannelSpec(Kind(input.kind.value), input.name, input.target, tuple(input.topics), input.secret,
                                     input.min_level, input.per_minute),
                         allow_loopback=info.context.platform.settings.allow_loopback_deliveries)

    async def work(conn) -> dict:
        if project and not (await conn.execute(text("SELECT 1 FROM projects WHERE id = :p"), {"p": project})).first():
            raise not_found("The project", "projectId")
        secret = info.context.platform.cipher.encrypt(spec.secret) if spec.secret else None
        channel_id = (await conn.execute(_INSERT, {
            "o": p.org_id, "p": project, "k": spec.kind.value, "n": spec.name, "t": spec.target, "s": secret,
            "topics": list(spec.topics), "lvl": spec.min_level, "pm": spec.per_minute, "by": p.actor})).scalar_one()
        await write_audit(conn, org_id=p.org_id, project_id=project, actor=p.actor, action="channel.added", entity="delivery_channel",
                          entity_id=channel_id, data={"kind": spec.kind.value, "name": spec.name, "topics": list(spec.topics)})
        return {"channel_id": str(channel_id)}

    # The secret is hashed into the key's fingerprint, never stored with it.
    payload = {**{k: (v.value if hasattr(v, "value") else v) for k, v in vars(input).items() if k != "secret"},
               "secret": info.context.platform.signer.hash_secret(input.secret).hex() if input.secret else None}
    result = await write(info, lambda conn: once(info, conn, idempotency_key, "addDeliveryChannel", payload, work))
    return DeliveryChannelPayload(channel=await delivery_channel(info, UUID(result["channel_id"])))
