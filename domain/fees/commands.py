"""What a caller asks of the fee core (docs/resident-services.md §6, §9.2). Ids and amounts are
parsed before a command is made; the rules (domain/fees/model.py) check the rest in the use case.
In an update, a field left None keeps its value."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from datetime import date, datetime
from uuid import UUID

from domain.fees.kinds import ChargeBasis, ChargeKind, PayMethod


@dataclass(frozen=True, slots=True)
class CreateChargeItem:
    project_id: UUID
    code: str
    name: str
    kind: ChargeKind
    basis: ChargeBasis
    starts_on: date
    unit_uses: tuple[str, ...] = ("residential",)
    space_tenures: tuple[str, ...] = ("owned", "leased")
    building_ids: tuple[UUID, ...] | None = None
    vacant_percent: int = 100
    due_day: int = 1
    ends_on: date | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateChargeItem:
    charge_item_id: UUID
    name: str | None = None
    vacant_percent: int | None = None
    due_day: int | None = None
    ends_on: date | None = None
    active: bool | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class SetChargeRate:
    charge_item_id: UUID
    effective_from: date
    rate_1e4: int
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class SetChargeOverride:
    charge_item_id: UUID
    unit_id: UUID
    excluded: bool
    reason: str
    rate_1e4: int | None = None
    until: date | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class GenerateBills:
    project_id: UUID
    from_month: date
    to_month: date
    charge_item_ids: tuple[UUID, ...]
    dry_run: bool = False
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class ChargeOneOff:
    charge_item_id: UUID
    amount_fen: int
    period: date
    due_on: date
    unit_ids: tuple[UUID, ...] = ()
    building_id: UUID | None = None
    note: str = ""
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class RecordPayment:
    unit_id: UUID
    amount_fen: int
    method: PayMethod
    paid_at: datetime
    allocations: tuple[tuple[UUID, int], ...] = ()
    note: str = ""
    invoice_no: str = ""
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class ReversePayment:
    payment_id: UUID
    reason: str
    idempotency_key: str | None = None


class OverpaidResolution(StrEnum):
    """How a cashier settles an overpaid payment: the credit refunded, or kept for the next bills."""

    REFUND = "refund"
    CREDIT = "credit"


RESOLUTION_LABELS = {OverpaidResolution.REFUND: "已退款", OverpaidResolution.CREDIT: "转预存"}


@dataclass(frozen=True, slots=True)
class ClearOverpaid:
    payment_id: UUID
    resolution: OverpaidResolution
    note: str = ""
    method: PayMethod | None = None  # a refund's; the payment's own when not given
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class WaiveBill:
    bill_id: UUID
    amount_fen: int
    reason: str
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class CancelBill:
    bill_id: UUID
    reason: str
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class AddPaymentIntegration:
    project_id: UUID
    name: str
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class RotatePaymentIntegrationSecret:
    integration_id: UUID
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class SetPaymentIntegrationActive:
    integration_id: UUID
    active: bool
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class ReceivePaid:
    """An integrator's `paid` notification (§6.4), its ids already parsed; the integration is the
    signed request's source, the wall its project."""

    integration_id: UUID
    project_id: UUID
    transaction_id: str
    paid_at: datetime
    amount_fen: int
    method: PayMethod
    unit_id: UUID
    bills: tuple[tuple[UUID, int], ...] = ()


@dataclass(frozen=True, slots=True)
class ReceiveRefund:
    integration_id: UUID
    project_id: UUID
    transaction_id: str
    refund_id: str
    amount_fen: int
    refunded_at: datetime
