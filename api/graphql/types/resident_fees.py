"""费用 as a resident reads them (docs/resident-services.md §6.9, §9.1): a flat's account, its bills and
the resident's payments — of their current flats, since they moved in. Shaped for residents: no
staff notes, no who-recorded-it, no integrator ids. Ids are the global ids of the staff nodes
(`Bill:<uuid>`, `Payment:<uuid>`), which the owner app hands to the integrator's payment flow."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from api.graphql.types.fee_scalars import Fen
from api.graphql.types.fees import BillStateType, ChargeKindType, PayMethodType, beijing_today
from api.graphql.types.node import to_global_id
from domain.fees.kinds import KIND_LABELS, METHOD_LABELS, STATE_LABELS, BillState, ChargeKind, PayMethod
from domain.fees.money import yuan
from domain.reads import Row

if TYPE_CHECKING:
    from api.graphql.types.resident_self import ResidentFlat

_Flat = Annotated["ResidentFlat", strawberry.lazy("api.graphql.types.resident_self")]


def _flat(unit_id: Any, label: str) -> ResidentFlat:
    from api.graphql.types.resident_self import ResidentFlat  # resident_self imports this module

    return ResidentFlat(id=to_global_id("Unit", unit_id), label=label)


@strawberry.type(description="收费项目 A charge item, as a resident sees it: its name and kind.")
class ResidentChargeItem:
    id: strawberry.ID
    code: str
    name: str
    kind: ChargeKindType

    @strawberry.field
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @classmethod
    def of(cls, item_id: Any, code: str, name: str, kind: str) -> ResidentChargeItem:
        return cls(id=to_global_id("ChargeItem", item_id), code=code, name=name, kind=ChargeKind(kind))


@strawberry.type(description="按项目欠费 What a flat owes on one charge item.")
class ResidentItemOwed:
    item: ResidentChargeItem
    outstanding_fen: Fen  # type: ignore[valid-type]

    @strawberry.field
    def outstanding_yuan(self) -> str:
        return yuan(self.outstanding_fen)


@strawberry.type(description="我的账户 One of the resident's flats: what it owes (since they moved in), what is "
                             "overdue, its credit (预存).")
class ResidentAccount:
    unit: _Flat
    outstanding_fen: Fen = strawberry.field(description="未缴 Unpaid on open bills.")  # type: ignore[valid-type]
    overdue_fen: Fen = strawberry.field(description="逾期 Unpaid and due before today (Beijing).")  # type: ignore[valid-type]
    credit_fen: Fen = strawberry.field(description="预存 Paid but not yet taken by a bill.")  # type: ignore[valid-type]
    by_item: list[ResidentItemOwed] = strawberry.field(description="未缴按项目 Unpaid per charge item, by item code.")

    @strawberry.field
    def outstanding_yuan(self) -> str:
        return yuan(self.outstanding_fen)

    @strawberry.field
    def overdue_yuan(self) -> str:
        return yuan(self.overdue_fen)

    @strawberry.field
    def credit_yuan(self) -> str:
        return yuan(self.credit_fen)

    @classmethod
    def from_row(cls, r: Row) -> ResidentAccount:
        return cls(unit=_flat(r.unit_id, r.label), outstanding_fen=r.outstanding_fen, overdue_fen=r.overdue_fen,
                   credit_fen=r.credit_fen,
                   by_item=[ResidentItemOwed(item=ResidentChargeItem.of(x["id"], x["code"], x["name"], x["kind"]),
                                             outstanding_fen=x["outstanding_fen"]) for x in r.by_item])


@strawberry.type(description="我的账单 One month's (or a one-off) charge to one of the resident's flats.")
class ResidentBill:
    id: strawberry.ID
    charge_item: ResidentChargeItem
    unit: _Flat
    period: date = strawberry.field(description="账期 The billed month's first day.")
    period_end: date
    due_on: date = strawberry.field(description="应缴日期 Due on this day.")
    amount: Fen  # type: ignore[valid-type]
    waived: Fen = strawberry.field(description="减免")  # type: ignore[valid-type]
    paid: Fen  # type: ignore[valid-type]
    outstanding: Fen  # type: ignore[valid-type]
    state: BillStateType
    note: str

    @strawberry.field(description="The outstanding amount in 元: 123.45")
    def yuan(self) -> str:
        return yuan(self.outstanding)

    @strawberry.field
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @strawberry.field(description="逾期 Outstanding and due before today (Beijing).")
    def overdue(self) -> bool:
        return self.state is BillState.OPEN and self.outstanding > 0 and self.due_on < beijing_today()

    @classmethod
    def from_row(cls, r: Row) -> ResidentBill:
        return cls(id=to_global_id("Bill", r.id), charge_item=ResidentChargeItem.of(r.item_id, r.item_code, r.item_name, r.item_kind),
                   unit=_flat(r.unit_id, r.unit_label), period=r.period, period_end=r.period_end, due_on=r.due_on,
                   amount=r.amount_fen, waived=r.waived_fen, paid=r.paid_fen, outstanding=r.outstanding_fen,
                   state=BillState(r.state), note=r.note)


@strawberry.type(description="A payment's net share of one bill of the resident's.")
class ResidentPaymentShare:
    bill_id: strawberry.ID
    period: date
    item_name: str
    amount: Fen  # type: ignore[valid-type]


@strawberry.type(description="我的缴费 Money paid for one of the resident's flats since they moved in.")
class ResidentPayment:
    id: strawberry.ID
    unit: _Flat
    kind: str = strawberry.field(description="payment 缴费 or refund 退款")
    amount: Fen  # type: ignore[valid-type]
    unallocated: Fen = strawberry.field(description="预存 Left as credit.")  # type: ignore[valid-type]
    method: PayMethodType
    receipt_no: str = strawberry.field(description="收据号")
    paid_at: datetime
    reversed: bool = strawberry.field(description="已冲正 Undone by the property office.")
    shares: list[ResidentPaymentShare] = strawberry.field(description="Which bills it paid, oldest month first.")

    @strawberry.field
    def yuan(self) -> str:
        return yuan(self.amount)

    @strawberry.field
    def method_label(self) -> str:
        return METHOD_LABELS[self.method]

    @classmethod
    def from_row(cls, r: Row) -> ResidentPayment:
        return cls(id=to_global_id("Payment", r.id), unit=_flat(r.unit_id, r.unit_label), kind=r.kind, amount=r.amount_fen,
                   unallocated=r.unallocated_fen, method=PayMethod(r.method), receipt_no=r.receipt_no, paid_at=r.paid_at,
                   reversed=r.reversed_at is not None,
                   shares=[ResidentPaymentShare(bill_id=to_global_id("Bill", s["bill_id"]), period=date.fromisoformat(s["period"]),
                                                item_name=s["item_name"], amount=s["amount_fen"]) for s in r.shares])
