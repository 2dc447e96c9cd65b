"""What the fee core's mutations return (their use cases: domain/fees/service.py, billing.py,
payments.py): the record as it now is, read after the commit, or the refusal in `errors`."""

from __future__ import annotations

from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.errors import UserError
from api.graphql.types.fees import Bill, BillRun, ChargeItem, Payment
from domain.fees import reads


@strawberry.type
class ChargeItemPayload:
    charge_item: ChargeItem | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class BillRunPayload:
    bill_run: BillRun | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class BillsPayload:
    bills: list[Bill] = strawberry.field(default_factory=list, description="The bills created (none already on file).")
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class BillPayload:
    bill: Bill | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PaymentPayload:
    payment: Payment | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def charge_item_payload(info: Info, item_id: UUID) -> ChargeItemPayload:
    row = await info.context.loaders.charge_item_by_id.load(item_id)
    return ChargeItemPayload(charge_item=ChargeItem.from_row(row) if row else None)


async def bill_payload(info: Info, bill_id: UUID) -> BillPayload:
    row = await info.context.loaders.bill_by_id.load(bill_id)
    return BillPayload(bill=Bill.from_row(row) if row else None)


async def payment_payload(info: Info, payment_id: UUID) -> PaymentPayload:
    row = await info.context.loaders.payment_by_id.load(payment_id)
    return PaymentPayload(payment=Payment.from_row(row) if row else None)


async def bill_run_payload(info: Info, run_id: UUID) -> BillRunPayload:
    row = await reads.bill_run(info.context.db, run_id)
    return BillRunPayload(bill_run=BillRun.from_row(row) if row else None)


async def bills_payload(info: Info, ids: list[UUID]) -> BillsPayload:
    rows = await reads.bills_by_id(info.context.db, ids)
    return BillsPayload(bills=[Bill.from_row(r) for r in rows])
