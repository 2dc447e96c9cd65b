"""缴费对接 A payment integration as its managers see it (docs/resident-services.md §6.4): its name,
whether it is on, when it last told us of a payment, and the path it posts to. The secret is never
shown here; only the mutation that makes one answers it, once."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.node import Node, to_global_id
from domain.fees import reads
from domain.reads import Row


@strawberry.type(description="缴费对接 An owner app's payment side: it collects the money and tells us, signed.")
class PaymentIntegration(Node):
    integration_id: strawberry.Private[UUID]
    project_id: strawberry.ID
    name: str
    active: bool
    last_used_at: datetime | None = strawberry.field(description="The last payment or refund it told us of.")
    created_at: datetime
    created_by: str

    @strawberry.field(description="The path it posts its signed notifications to (docs/owner-app.md).")
    def inbound_path(self) -> str:
        return f"/inbound/payments/{self.integration_id}"

    @classmethod
    def from_row(cls, r: Row) -> PaymentIntegration:
        return cls(id=to_global_id("PaymentIntegration", r.id), integration_id=r.id, project_id=to_global_id("Project", r.project_id),
                   name=r.name, active=r.active, last_used_at=r.last_used_at, created_at=r.created_at, created_by=r.created_by)


async def payment_integration(info: Info, integration_id: UUID) -> PaymentIntegration | None:
    row = await reads.payment_integration(info.context.db, integration_id)
    return PaymentIntegration.from_row(row) if row else None
