"""Money an integrator collected, as it tells us (docs/resident-services.md §6.4), in the signed
request's own transaction (api/inbound/payments.py): a `paid` notification becomes a payment
spread over the flat's bills, a `refunded` one takes money back. The integration is the actor and
its project the wall: a flat or bill of another project or company is not found.

- Idempotent by the transaction (refund) id as well as by the delivery id: the same transaction
  again answers the payment on file and changes nothing; the same id with another amount or flat
  is TRANSACTION_MISMATCH. A lock on the id queues two deliveries of one transaction.
- The money is real, so it is never refused for what happened meanwhile: a named bill paid at
  the desk or an amount above what is owed goes oldest first to the flat's other bills, the rest
  is credit, and the payment is marked OVERPAID for a cashier (domain/fees/overpaid.py).
- A refund takes back first from the payment's credit, then from its bills, newest period first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from domain.errors import DomainError, ErrorCode, ErrorReason, invalid, not_found
from domain.fees.commands import ReceivePaid, ReceiveRefund
from domain.fees.integration_repository import IntegrationRepository
from domain.fees.kinds import PayMethod
from domain.fees.model import Payment
from domain.fees.repository import FeeRepository
from domain.fees.rules import allocate_arrived
from domain.integrations.checks import check_when
from domain.unit_of_work import UnitOfWork

OVERPAID = "OVERPAID"
_BEIJING = timedelta(hours=8)


@dataclass(frozen=True, slots=True)
class Arrived:
    """What the integrator is answered: the payment (or refund) on file and where its money went."""

    payment_id: UUID
    receipt_no: str
    shares: list[tuple[UUID, int]]  # a refund's: what it took back from each bill
    unallocated_fen: int  # a refund's: what it took back from the payment's credit
    problem: str | None
    duplicate: bool
    refund_of: UUID | None = None


def _mismatch(field: str) -> DomainError:
    return DomainError(ErrorCode.CONFLICT, f"该编号已用于另一笔金额或房屋不同的交易，未作任何更改：{field}。"
                                          f"This {field} was already notified with another amount or flat; nothing was changed.",
                       field, reason=ErrorReason.TRANSACTION_MISMATCH)


async def _receipt_no(repo: FeeRepository, project_id: UUID, now: datetime) -> str:
    day = (now + _BEIJING).date()
    return f"SJ-{await repo.project_code(project_id)}-{day:%Y%m%d}-{await repo.next_receipt(project_id, day):04d}"


async def receive_paid(cmd: ReceivePaid, uow: UnitOfWork) -> Arrived:
    check_when(cmd.paid_at, "paid_at")
    if sum(a for _, a in cmd.bills) > cmd.amount_fen:
        raise invalid("账单金额合计超过 amount_fen（bills）。The bills' amounts add up to more than amount_fen.", "bills")
    async with uow:
        ints, repo = IntegrationRepository(uow), FeeRepository(uow)
        await ints.lock_transaction(cmd.integration_id, "payment", cmd.transaction_id)
        seen = await ints.by_external(cmd.integration_id, "payment", cmd.transaction_id)
        if seen is not None:
            if (seen.amount_fen, seen.unit_id) != (cmd.amount_fen, cmd.unit_id):
                raise _mismatch("transaction_id")
            answer = Arrived(seen.id, seen.receipt_no, await ints.net_shares(seen.id), seen.unallocated_fen, None, True)
            await uow.commit()
            return answer
        if await repo.unit_project(cmd.unit_id) != cmd.project_id:
            raise not_found("The flat", "unit_id", zh="房屋")
        open_bills = await repo.open_bills(cmd.project_id, cmd.unit_id)  # locked, in id order
        await _check_named(ints, cmd, {b.id for b in open_bills})
        shares, short = allocate_arrived(cmd.amount_fen, open_bills, cmd.bills)
        now = datetime.now(UTC)
        pay = Payment.record(org_id=uow.org_id, project_id=cmd.project_id, unit_id=cmd.unit_id, amount_fen=cmd.amount_fen,
                             method=cmd.method, paid_at=cmd.paid_at, note="", invoice_no="", by=uow.actor)
        pay.source, pay.integration_id, pay.external_id = "integration", cmd.integration_id, cmd.transaction_id
        pay.problem = OVERPAID if short or sum(a for _, a in shares) < cmd.amount_fen else None
        by_bill = dict(shares)
        for b in await repo.bills_locked(list(by_bill)):
            b.pay(by_bill[b.id], now)
            await repo.save_bill(b)
        pay.receipt_no = await _receipt_no(repo, cmd.project_id, now)
        pay.allocated(shares, await repo.periods_of(list(by_bill)), uow.actor)
        await ints.add_payment(pay)
        await ints.touch(cmd.integration_id)
        await uow.commit({"id": str(pay.id)})
    return Arrived(pay.id, pay.receipt_no, shares, pay.unallocated_fen, pay.problem, False)


async def _check_named(ints: IntegrationRepository, cmd: ReceivePaid, open_ids: set[UUID]) -> None:
    """A named bill must be this flat's; one that is closed by now is no reason to refuse."""
    seen: set[UUID] = set()
    for bill_id, _ in cmd.bills:
        if bill_id in seen:
            raise invalid("同一账单在 bills 中出现了两次。A bill is named twice in bills.", "bills")
        seen.add(bill_id)
        if bill_id in open_ids:
            continue
        unit = await ints.bill_unit(bill_id)
        if unit is None:
            raise not_found("The bill", "bills", zh="账单")
        if unit != cmd.unit_id:
            raise invalid("账单不属于 unit_id 所指的房屋（bills）。A bill in bills is not of the flat unit_id names.", "bills")


async def receive_refund(cmd: ReceiveRefund, uow: UnitOfWork) -> Arrived:
    check_when(cmd.refunded_at, "refunded_at")
    async with uow:
        ints, repo = IntegrationRepository(uow), FeeRepository(uow)
        await ints.lock_transaction(cmd.integration_id, "refund", cmd.refund_id)
        original = await ints.by_external(cmd.integration_id, "payment", cmd.transaction_id)  # locked: refunds queue
        seen = await ints.by_external(cmd.integration_id, "refund", cmd.refund_id)
        if seen is not None:
            if original is None or seen.refund_of != original.id or seen.amount_fen != cmd.amount_fen:
                raise _mismatch("refund_id")
            await uow.commit()
            return Arrived(seen.id, seen.receipt_no, [], 0, None, True, refund_of=original.id)
        if original is None:
            raise not_found("A payment with this transaction_id", "transaction_id", zh="该交易号的收款")
        refunded, count = await ints.refunded(original.id)
        if cmd.amount_fen > original.amount_fen - refunded:
            raise invalid(f"退款金额超过该笔收款未退的 {original.amount_fen - refunded} 分。amount_fen is above the "
                          f"{original.amount_fen - refunded} fen of this payment not yet refunded.", "amount_fen")
        from_credit = min(cmd.amount_fen, original.unallocated_fen)
        left, taken_back = cmd.amount_fen - from_credit, []
        for bill_id, share in await ints.shares_newest_first(original.id):
            if left == 0:
                break
            taken_back.append((bill_id, min(share, left)))
            left -= taken_back[-1][1]
        now = datetime.now(UTC)
        by_bill = dict(taken_back)
        for b in await repo.bills_locked(list(by_bill)):
            b.unpay(by_bill[b.id], now)
            await repo.save_bill(b)
        project_id = cmd.project_id
        if taken_back:
            await ints.allocate(project_id, original.id, [(b, -a) for b, a in taken_back])
        if from_credit:
            await ints.set_credit(original.id, original.unallocated_fen - from_credit)
        refund = Payment.record(org_id=uow.org_id, project_id=project_id, unit_id=original.unit_id, amount_fen=cmd.amount_fen,
                                method=PayMethod(original.method), paid_at=cmd.refunded_at, note="", invoice_no="",
                                by=uow.actor)
        refund.source, refund.integration_id, refund.external_id = "integration", cmd.integration_id, cmd.refund_id
        refund.receipt_no = f"{original.receipt_no}-TK{count + 1}"  # 退款: the receipt it returns, no gap in the SJ numbers
        refund.refunds(original.id, taken_back=taken_back, from_credit=from_credit,
                       periods=await repo.periods_of(list(by_bill)), by=uow.actor)
        await ints.add_payment(refund, kind="refund", refund_of=original.id)
        await ints.touch(cmd.integration_id)
        await uow.commit({"id": str(refund.id)})
    return Arrived(refund.id, refund.receipt_no, taken_back, from_credit, None, False, refund_of=original.id)


def answer(arrived: Arrived, gid: Callable[[str, UUID], str]) -> dict[str, Any]:
    """The JSON the integrator gets; `gid` writes an id as the integrator reads it elsewhere."""
    shares = [{"bill_id": gid("Bill", b), "amount_fen": a} for b, a in arrived.shares]
    if arrived.refund_of is not None:
        said = {"refund_payment_id": gid("Payment", arrived.payment_id), "payment_id": gid("Payment", arrived.refund_of),
                "receipt_no": arrived.receipt_no, "duplicate": arrived.duplicate}
        # What a refund took back is on the payment's ledger, not the refund's: said the first time only.
        return said if arrived.duplicate else {**said, "taken_back": shares, "from_credit_fen": arrived.unallocated_fen}
    return {"payment_id": gid("Payment", arrived.payment_id), "receipt_no": arrived.receipt_no, "allocated": shares,
            "unallocated_fen": arrived.unallocated_fen, "problem": arrived.problem, "duplicate": arrived.duplicate}
