"""外部单位 Outside bodies of a project: who they are, how a referral reaches them."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.node import Node, to_global_id
from domain.notifications.channels import ChannelKind, masked
from domain.reads import Row
from domain.referrals import reads
from domain.referrals.model import DELIVERY_LABELS, KIND_LABELS, BodyKind, DeliveryMethod

OutsideBodyKind = strawberry.enum(BodyKind, name="OutsideBodyKind", description="外部单位类型 Kind of outside body")
OutsideBodyDelivery = strawberry.enum(DeliveryMethod, name="OutsideBodyDelivery",
                                      description="送达方式 How a referral reaches the body")


@strawberry.type(description="外部单位 A street office, police station, utility… a project refers cases to.")
class OutsideBody(Node):
    project_id: strawberry.ID
    kind: OutsideBodyKind
    name: str
    contact_name: str | None
    contact_phone: str | None
    address: str | None
    delivery: OutsideBodyDelivery
    webhook_url: str | None = strawberry.field(description="Shown without its query string.")
    email: str | None
    has_secret: bool = strawberry.field(description="It can sign its answers (and our webhooks are signed for it).")
    feedback_days: int = strawberry.field(description="反馈期限 Calendar days (Beijing) it has to answer a referral.")
    active: bool
    created_at: datetime
    inbound_path: str = strawberry.field(description="Where it posts signed acknowledgements and answers.")

    @strawberry.field
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @strawberry.field
    def delivery_label(self) -> str:
        return DELIVERY_LABELS[self.delivery]

    @classmethod
    def from_row(cls, row: Row) -> OutsideBody:
        return cls(id=to_global_id("OutsideBody", row.id), project_id=to_global_id("Project", row.project_id),
                   kind=BodyKind(row.kind), name=row.name, contact_name=row.contact_name, contact_phone=row.contact_phone,
                   address=row.address, delivery=DeliveryMethod(row.delivery),
                   webhook_url=masked(ChannelKind.WEBHOOK, row.webhook_url) if row.webhook_url else None, email=row.email,
                   has_secret=row.has_secret, feedback_days=row.feedback_days, active=row.active, created_at=row.created_at,
                   inbound_path=f"/inbound/bodies/{row.id}")


async def outside_bodies(info: Info, project_id: UUID) -> list[OutsideBody]:
    return [OutsideBody.from_row(r) for r in await reads.bodies(info.context.db, project_id)]


async def bodies_by_id(info: Info, ids: list[UUID]) -> dict[UUID, OutsideBody]:
    if not ids:
        return {}
    return {r.id: OutsideBody.from_row(r) for r in await reads.bodies_by_id(info.context.db, ids)}


async def outside_body(info: Info, body_id: UUID) -> OutsideBody | None:
    return (await bodies_by_id(info, [body_id])).get(body_id)
