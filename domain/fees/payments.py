"""Money at the desk (docs/resident-services.md §6.3): a payment spread over a flat's open bills
(named ones, else oldest first; the rest kept as credit), its reversal, and a bill's waiver or
cancellation. One function per use case in the caller's unit of work; the flat's open bills are
locked in id order first, so two cashiers on one flat queue and never deadlock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from domain.errors import invalid, not_found
from domain.fees.commands import CancelBill, RecordPayment, ReversePayment, WaiveBill
from domain.fees.model import Bill, Payment
from domain.fees.repository import FeeRepository
from domain.fees.rules import allocate
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission

_BEIJING = timedelta(hours=8)
LATE_ENTRY = timedelta(days=31)  # a cashier's late entry; older is refused
_SKEW = timedelta(minutes=5)


async def record_payment(cmd: RecordPayment, uow: UnitOfWork) -> UUID:
    async with uow:
        request = {"unitId": str(cmd.unit_id), "amountFen": cmd.amount_fen, "method": cmd.method.value,
                   "paidAt": cmd.paid_at.isoformat(), "allocations": [[str(b), a] for b, a in cmd.allocations],
                   "note": cmd.note, "invoiceNo": cmd.invoice_no}
        if (done := await uow.claim(cmd.idempotency_key, "recordPayment", request)) is not None:
            return UUID(done["id"])
        repo = FeeRepository(uow)
        project_id = await repo.unit_project(cmd.unit_id)
        if project_id is None:
            raise not_found("The unit", "unitId", zh="房屋")
        uow.require(Permission.FEE_COLLECT, project_id, "unitId")
        now = datetime.now(UTC)
        if cmd.paid_at.tzinfo is None or not now - LATE_ENTRY <= cmd.paid_at <= now + _SKEW:
            raise invalid("收款时间应在最近 31 天内，且不能晚于现在。paidAt must be within the last 31 days and not in the "
                          "future.", "paidAt")
        pay = Payment.record(org_id=uow.org_id, project_id=project_id, unit_id=cmd.unit_id, amount_fen=cmd.amount_fen,
                             method=cmd.method, paid_at=cmd.paid_at, note=cmd.note, invoice_no=cmd.invoice_no,
                             by=uow.actor)
        shares = allocate(pay.amount_fen, await repo.open_bills(project_id, cmd.unit_id), list(cmd.allocations) or None)
        bills = await _pay_into(repo, dict(shares), now)
        day = (now + _BEIJING).date()
        pay.receipt_no = f"SJ-{await repo.project_code(project_id)}-{day:%Y%m%d}-{await repo.next_receipt(project_id, day):04d}"
        pay.allocated(shares, await repo.periods_of([b.id for b in bills]), uow.actor)
        await repo.add_payment(pay)
        await uow.commit({"id": str(pay.id)})
    return pay.id


async def _pay_into(repo: FeeRepository, shares: dict[UUID, int], now: datetime) -> list[Bill]:
    bills = await repo.bills_locked(list(shares))
    for b in bills:
        b.pay(shares[b.id], now)
        await repo.save_bill(b)
    return bills


async def reverse_payment(cmd: ReversePayment, uow: UnitOfWork) -> UUID:
    """冲正: the payment's shares go back to its bills (reopened), the payment stays, marked."""
    async with uow:
        request = {"paymentId": str(cmd.payment_id), "reason": cmd.reason}
        if (done := await uow.claim(cmd.idempotency_key, "reversePayment", request)) is not None:
            return UUID(done["id"])
        repo = FeeRepository(uow)
        pay = await repo.payment(cmd.payment_id)
        if pay is None:
            raise not_found("The payment", "paymentId", zh="收款")
        uow.require(Permission.FEE_ADJUST, pay.project_id, "paymentId")
        now = datetime.now(UTC)
        reason = pay.reverse(cmd.reason, uow.actor, now)
        shares = dict(pay.allocations)
        for b in await repo.bills_locked(list(shares)):
            b.unpay(shares[b.id], now)
            await repo.save_bill(b)
        await repo.reverse_payment(pay, reason, now)
        await uow.commit({"id": str(pay.id)})
    return pay.id


async def _bill(repo: FeeRepository, uow: UnitOfWork, bill_id: UUID) -> Bill:
    b = await repo.bill(bill_id)
    if b is None:
        raise not_found("The bill", "billId", zh="账单")
    uow.require(Permission.FEE_ADJUST, b.project_id, "billId")
    return b


async def waive_bill(cmd: WaiveBill, uow: UnitOfWork) -> UUID:
    async with uow:
        request = {"billId": str(cmd.bill_id), "amountFen": cmd.amount_fen, "reason": cmd.reason}
        if (done := await uow.claim(cmd.idempotency_key, "waiveBill", request)) is not None:
            return UUID(done["id"])
        repo = FeeRepository(uow)
        b = await _bill(repo, uow, cmd.bill_id)
        reason = b.waive(cmd.amount_fen, cmd.reason, uow.actor, datetime.now(UTC))
        await repo.save_bill(b)
        await repo.adjust(b, "waive", cmd.amount_fen, reason, uow.actor)
        await uow.commit({"id": str(b.id)})
    return b.id


async def cancel_bill(cmd: CancelBill, uow: UnitOfWork) -> UUID:
    async with uow:
        request = {"billId": str(cmd.bill_id), "reason": cmd.reason}
        if (done := await uow.claim(cmd.idempotency_key, "cancelBill", request)) is not None:
            return UUID(done["id"])
        repo = FeeRepository(uow)
        b = await _bill(repo, uow, cmd.bill_id)
        reason, amount = b.cancel(cmd.reason, uow.actor, datetime.now(UTC), has_payments=await repo.has_payments(b.id))
        await repo.save_bill(b)
        await repo.adjust(b, "cancel", amount, reason, uow.actor)
        await uow.commit({"id": str(b.id)})
    return b.id
