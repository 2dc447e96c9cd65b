"""What tells one kind of signed integration from another: its table, its audit entity, the
permission that manages it and the names its errors and idempotency operations use."""

from __future__ import annotations

from dataclasses import dataclass

from tenants.roles import Permission


@dataclass(frozen=True, slots=True)
class IntegrationKind:
    entity: str  # audit entity and action prefix, the receipts' source kind: "payment_integration"
    table: str  # "payment_integrations"; `<entity>_tenant(id)` finds an id's company and project
    permission: Permission  # who adds, switches and rotates one
    operation: str  # "PaymentIntegration": addPaymentIntegration, setPaymentIntegrationActive, …
    noun: str  # "The payment integration", as NOT_FOUND names it
    zh: str  # 缴费对接
    columns: tuple[str, ...] = ()  # the kind's own columns, each an attribute of its aggregate
