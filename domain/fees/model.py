"""The fee core's aggregates as staff change them (docs/resident-services.md §6): a charge item
with its rates and per-flat overrides, a bill (waived, cancelled, paid into), a payment (recorded,
reversed). Each checks what is typed and records one audit row and one event for the unit of work
to write at commit. Audit rows and events carry ids and amounts, never a name or a phone.

Pure: no database. Amounts are integer fen (domain/fees/money.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from domain.errors import DomainError, ErrorCode, ErrorReason, invalid
from domain.events import Event
from domain.fees.kinds import BillState, ChargeBasis, ChargeKind, PayMethod
from domain.fees.money import MAX_FEN, whole_fen_rate
from domain.unit_of_work import Aggregate, AuditEntry

TENURES = frozenset({"owned", "leased", "public"})
USES = frozenset({"residential", "office", "shop", "storage", "other"})


def text_field(value: str | None, field: str, *, zh: str, max_len: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise invalid(f"请填写{zh}。{field} is required.", field)
    if len(value) > max_len:
        raise invalid(f"「{zh}」最多 {max_len} 字。{field} is at most {max_len} characters.", field)
    return value


def positive_fen(value: int, field: str) -> int:
    if not 0 < value <= MAX_FEN:
        raise invalid(f"金额应大于 0。{field} must be above zero.", field)
    return value


def first_of_month(value: date, field: str) -> date:
    if value.day != 1:
        raise invalid(f"应为某月 1 日。{field} must be the first day of a month.", field)
    return value


@dataclass(kw_only=True)
class _Record(Aggregate):
    id: UUID
    org_id: UUID
    project_id: UUID

    def _record(self, action: str, entity: str, by: str, data: dict[str, Any]) -> None:
        event = Event(topic=action, org_id=self.org_id, project_id=self.project_id,
                      payload={f"{entity}_id": str(self.id), "actor": by, **data})
        self.audit.append(AuditEntry(action=action, entity=entity, entity_id=self.id, project_id=self.project_id,
                                     data=data, actor=by, event_id=event.id))
        self.events.append(event)


@dataclass(kw_only=True)
class ChargeItem(_Record):
    """收费项目: what is charged, to which flats or spaces, and how its amount is found."""

    code: str
    name: str
    kind: ChargeKind
    basis: ChargeBasis
    unit_uses: list[str] = field(default_factory=lambda: ["residential"])
    space_tenures: list[str] = field(default_factory=lambda: ["owned", "leased"])
    building_ids: list[UUID] | None = None
    vacant_percent: int = 100
    due_day: int = 1
    starts_on: date
    ends_on: date | None = None
    active: bool = True

    @classmethod
    def create(cls, *, org_id: UUID, project_id: UUID, by: str, **values: Any) -> ChargeItem:
        item = cls(id=uuid4(), org_id=org_id, project_id=project_id, **values)
        item._check()
        item._record("charge_item.created", "charge_item", by, {"code": item.code, "basis": item.basis.value})
        return item

    def update(self, *, by: str, **values: Any) -> list[str]:
        changed = [k for k, v in values.items() if v is not None and getattr(self, k) != v]
        for k in changed:
            setattr(self, k, values[k])
        if changed:
            self._check()
            self._record("charge_item.updated", "charge_item", by, {"fields": changed})
        return changed

    def _check(self) -> None:
        self.code = text_field(self.code, "code", zh="编码", max_len=20).upper()
        if not all(c.isascii() and (c.isalnum() or c in "-_") for c in self.code):
            raise invalid("编码只能含字母、数字、- 和 _。code holds letters, digits, - and _ only.", "code")
        self.name = text_field(self.name, "name", zh="名称", max_len=50)
        if not 0 <= self.vacant_percent <= 100:
            raise invalid("空置比例应在 0 到 100 之间。vacantPercent must be between 0 and 100.", "vacantPercent")
        if not 1 <= self.due_day <= 28:
            raise invalid("缴费日应在 1 到 28 之间。dueDay must be between 1 and 28.", "dueDay")
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise invalid("结束日期不能早于开始日期。endsOn must not be before startsOn.", "endsOn")
        if not self.unit_uses or not set(self.unit_uses) <= USES:
            raise invalid("房屋用途无效。unitUses must name unit uses.", "unitUses")
        if not self.space_tenures or not set(self.space_tenures) <= TENURES:
            raise invalid("车位权属无效。spaceTenures must name tenures.", "spaceTenures")

    def check_rate(self, rate_1e4: int, field: str = "rate1e4") -> int:
        """Per-m² rates may hold sub-fen; fixed, per-space and one-off amounts are whole fen."""
        if not 0 < rate_1e4 <= MAX_FEN:
            raise invalid(f"单价应大于 0。{field} must be above zero.", field)
        if self.basis is not ChargeBasis.AREA and not whole_fen_rate(rate_1e4):
            raise invalid(f"按户、按车位的金额须为整分。{field} must be whole fen for this item.", field)
        return rate_1e4

    def rate_set(self, effective_from: date, rate_1e4: int, by: str) -> None:
        first_of_month(effective_from, "effectiveFrom")
        self.check_rate(rate_1e4)
        self._record("charge_rate.set", "charge_item", by, {"effective_from": effective_from.isoformat(),
                                                            "rate_1e4": rate_1e4})

    def override_set(self, unit_id: UUID, *, excluded: bool, rate_1e4: int | None, reason: str, by: str) -> str:
        if not excluded and rate_1e4 is None:
            raise invalid("请填写单价或选择不收。Give a rate or exclude the flat.", "rate1e4")
        if rate_1e4 is not None:
            self.check_rate(rate_1e4)
        reason = text_field(reason, "reason", zh="原因", max_len=200)
        self._record("charge_override.set", "charge_item", by, {"unit_id": str(unit_id), "excluded": excluded,
                                                                "rate_1e4": rate_1e4})
        return reason


@dataclass(kw_only=True)
class Bill(_Record):
    """账单: one flat's charge for one month (or a one-off)."""

    unit_id: UUID
    amount_fen: int
    waived_fen: int
    paid_fen: int
    state: BillState
    closed_at: datetime | None = None

    @property
    def outstanding(self) -> int:
        return self.amount_fen - self.waived_fen - self.paid_fen

    def _settle(self, now: datetime) -> None:
        if self.outstanding == 0 and self.state is BillState.OPEN:
            self.state = BillState.PAID if self.paid_fen > 0 else BillState.WAIVED
            self.closed_at = now
        elif self.outstanding > 0 and self.state in (BillState.PAID, BillState.WAIVED):
            self.state, self.closed_at = BillState.OPEN, None

    def _open(self) -> None:
        if self.state is not BillState.OPEN:
            raise DomainError(ErrorCode.INVALID_STATE, "账单已结清或已作废。The bill is not open.", "billId",
                              reason=ErrorReason.BILL_NOT_OPEN)

    def pay(self, amount: int, now: datetime) -> None:
        """Part of a payment: the service checked it is no more than what is outstanding."""
        self.paid_fen += amount
        self._settle(now)

    def unpay(self, amount: int, now: datetime) -> None:
        """A reversed payment's share comes back; a cancelled bill stays cancelled."""
        self.paid_fen -= amount
        if self.state is not BillState.CANCELLED:
            self._settle(now)

    def waive(self, amount: int, reason: str, by: str, now: datetime) -> str:
        self._open()
        positive_fen(amount, "amountFen")
        if amount > self.outstanding:
            raise invalid(f"减免金额超过欠费 {self.outstanding} 分。amountFen is above the {self.outstanding} fen outstanding.",
                          "amountFen")
        reason = text_field(reason, "reason", zh="原因", max_len=200)
        self.waived_fen += amount
        self._settle(now)
        self._record("bill.waived", "bill", by, {"amount_fen": amount, "unit_id": str(self.unit_id)})
        return reason

    def cancel(self, reason: str, by: str, now: datetime, *, has_payments: bool) -> tuple[str, int]:
        """作废: everything outstanding is waived and the bill is cancelled; one with payments can
        only be waived."""
        self._open()
        if has_payments or self.paid_fen > 0:
            raise DomainError(ErrorCode.INVALID_STATE, "账单已有收款，只能减免。A bill with payments can only be waived.",
                              "billId", reason=ErrorReason.BILL_HAS_PAYMENTS)
        reason = text_field(reason, "reason", zh="原因", max_len=200)
        amount = self.outstanding
        self.waived_fen += amount
        self.state, self.closed_at = BillState.CANCELLED, now
        self._record("bill.cancelled", "bill", by, {"amount_fen": amount, "unit_id": str(self.unit_id)})
        return reason, amount


@dataclass(kw_only=True)
class Payment(_Record):
    """收款: money a flat paid, its allocations to bills and what is left as credit (预存)."""

    unit_id: UUID
    amount_fen: int
    method: PayMethod
    paid_at: datetime
    receipt_no: str = ""
    unallocated_fen: int = 0
    note: str = ""
    invoice_no: str = ""
    recorded_by: str = ""
    reversed_at: datetime | None = None
    kind: str = "payment"  # or "refund": an integrator's refund of a payment (§6.4)
    allocations: list[tuple[UUID, int]] = field(default_factory=list)
    # An integrator's payment (§6.4): where it came from, its transaction id, and OVERPAID when the
    # money could not all go where the notification said.
    source: str = "staff"
    integration_id: UUID | None = None
    external_id: str | None = None
    problem: str | None = None

    @classmethod
    def record(cls, *, org_id: UUID, project_id: UUID, unit_id: UUID, amount_fen: int, method: PayMethod,
               paid_at: datetime, note: str, invoice_no: str, by: str) -> Payment:
        return cls(id=uuid4(), org_id=org_id, project_id=project_id, unit_id=unit_id,
                   amount_fen=positive_fen(amount_fen, "amountFen"), method=method, paid_at=paid_at,
                   note=text_field(note, "note", zh="备注", max_len=200, required=False),
                   invoice_no=text_field(invoice_no, "invoiceNo", zh="发票号", max_len=50, required=False),
                   recorded_by=by)

    def allocated(self, allocations: list[tuple[UUID, int]], periods: list[str], by: str) -> None:
        self.allocations = allocations
        self.unallocated_fen = self.amount_fen - sum(a for _, a in allocations)
        self._record("payment.recorded", "payment", by, {
            "unit_id": str(self.unit_id), "amount_fen": self.amount_fen, "unallocated_fen": self.unallocated_fen,
            "receipt_no": self.receipt_no, "periods": periods, "source": self.source, "problem": self.problem})
        if self.problem == "OVERPAID":  # its own topic, so a channel may hear only what needs a cashier
            self._record("payment.overpaid", "payment", by, {
                "unit_id": str(self.unit_id), "amount_fen": self.amount_fen, "unallocated_fen": self.unallocated_fen,
                "receipt_no": self.receipt_no, "source": self.source})

    def refunds(self, payment_id: UUID, *, taken_back: list[tuple[UUID, int]], from_credit: int, periods: list[str],
                by: str) -> None:
        """This row is a refund (an integrator's, §6.4) of `payment_id`: what it took back from that
        payment's credit and from its bills."""
        self._record("payment.refunded", "payment", by, {
            "refund_of": str(payment_id), "unit_id": str(self.unit_id), "amount_fen": self.amount_fen,
            "from_credit_fen": from_credit, "from_bills_fen": sum(a for _, a in taken_back), "receipt_no": self.receipt_no,
            "periods": periods, "source": self.source})

    def reverse(self, reason: str, by: str, now: datetime) -> str:
        # A refund's money was taken back from the payment's shares: marking the refund reversed
        # would give none of it back, and later refunds would still count it.
        if self.kind == "refund":
            raise DomainError(ErrorCode.INVALID_STATE, "退款不能冲正；如需更正，请冲正原收款。A refund cannot be reversed; "
                                                       "reverse the payment it refunded instead.", "paymentId")
        if self.reversed_at is not None:
            raise DomainError(ErrorCode.INVALID_STATE, "该收款已冲正。The payment is already reversed.", "paymentId",
                              reason=ErrorReason.PAYMENT_REVERSED)
        reason = text_field(reason, "reason", zh="原因", max_len=200)
        self.reversed_at = now
        self._record("payment.reversed", "payment", by, {"unit_id": str(self.unit_id), "amount_fen": self.amount_fen,
                                                          "receipt_no": self.receipt_no})
        return reason


@dataclass(kw_only=True)
class OverpaidClearing(_Record):
    """结清 a payment marked OVERPAID (its id is the payment's): the mark lifted, how and by whom."""

    unit_id: UUID
    receipt_no: str

    def cleared(self, *, resolution: str, amount_fen: int, refund_id: UUID | None, by: str) -> None:
        self._record("payment.cleared", "payment", by, {
            "unit_id": str(self.unit_id), "receipt_no": self.receipt_no, "resolution": resolution, "amount_fen": amount_fen,
            "refund_id": str(refund_id) if refund_id else None})


@dataclass(kw_only=True)
class BillRun(_Record):
    """出账: one generation over some months and items; its counts and total, never a flat list."""

    periods: tuple[date, date]
    charge_item_ids: list[UUID]
    dry_run: bool
    created_by: str = ""
    created: int = 0
    total_fen: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    @classmethod
    def start(cls, *, org_id: UUID, project_id: UUID, from_month: date, to_month: date, charge_item_ids: list[UUID],
              dry_run: bool, by: str) -> BillRun:
        first_of_month(from_month, "fromMonth")
        first_of_month(to_month, "toMonth")
        if to_month < from_month:
            raise invalid("结束月份不能早于开始月份。toMonth must not be before fromMonth.", "toMonth")
        if (to_month.year - from_month.year) * 12 + to_month.month - from_month.month >= 24:
            raise invalid("一次最多出账 24 个月。At most 24 months in one run.", "toMonth")
        if not charge_item_ids:
            raise invalid("请选择收费项目。chargeItemIds is required.", "chargeItemIds")
        return cls(id=uuid4(), org_id=org_id, project_id=project_id, periods=(from_month, to_month),
                   charge_item_ids=charge_item_ids, dry_run=dry_run, created_by=by)

    def finished(self, *, created: int, total_fen: int, skipped: dict[str, int], by: str) -> None:
        """A real run records `bills.generated`; a dry run rolls its bills back and records nothing."""
        self.created, self.total_fen, self.skipped = created, total_fen, skipped
        if not self.dry_run:
            self._record("bills.generated", "bill_run", by, {
                "periods": [p.isoformat() for p in self.periods], "count": created, "total_fen": total_fen,
                "skipped": skipped})
