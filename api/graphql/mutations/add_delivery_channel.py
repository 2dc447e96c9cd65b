from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._channel_payload import DeliveryChannelPayload
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.delivery import ChannelKind, delivery_channel
from api.graphql.types.node import from_global_id
from domain.notifications import service
from domain.notifications.channels import ChannelKind as Kind, ChannelSpec
from domain.notifications.commands import AddDeliveryChannel
from tenants.roles import Permission


@strawberry.input(description="A channel: kind, where, which events. Webhooks need a signing secret; "
                              "DingTalk robots take theirs (加签) if set.")
class DeliveryChannelInput:
    kind: ChannelKind
    name: str
    target: str = strawberry.field(
        description="https URL of a public address (webhook, robot; checked again at every send) or e-mail address.")
    topics: list[str] = strawberry.field(description="e.g. case.escalated, case.committed, case.resolved, calendar.missing")
    secret: str | None = None
    min_level: str | None = strawberry.field(default=None, description="For escalations: remind, l1, l2 or l3 and above.")
    per_minute: int = 20
    project_id: strawberry.ID | None = strawberry.field(default=None, description="Null: every project.")


@strawberry.mutation(permission_classes=[Requires(Permission.CHANNEL_MANAGE)], description="添加通知渠道 Add a delivery channel.")
@user_errors(DeliveryChannelPayload)
async def add_delivery_channel(info: Info, input: DeliveryChannelInput, idempotency_key: IdempotencyKey = None) -> DeliveryChannelPayload:
    uow = unit_of_work(info)
    uow.require(Permission.CHANNEL_MANAGE)  # company-wide, before the input is read (the service checks it again)
    project = from_global_id(input.project_id, "Project", "projectId") if input.project_id else None
    spec = ChannelSpec(Kind(input.kind.value), input.name, input.target, tuple(input.topics), input.secret, input.min_level,
                       input.per_minute)
    platform = info.context.platform
    # The secret is sealed for the channel and hashed into the key's fingerprint, never kept with the key.
    channel_id = await service.add_delivery_channel(
        AddDeliveryChannel(spec, project, idempotency_key), uow, seal=platform.cipher.encrypt,
        hash_secret=platform.signer.hash_secret, allow_loopback=platform.settings.allow_loopback_deliveries)
    return DeliveryChannelPayload(channel=await delivery_channel(info, channel_id))
