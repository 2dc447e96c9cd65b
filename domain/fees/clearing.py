"""结清 an overpaid payment (docs/resident-services.md §6.4; "As built — resident-service gaps"). An
integrator's payment above what its bills owed is marked OVERPAID and its cashiers told (退款或转预存);
once one of them has dealt with it (`fee:collect` on the project), they say how:

- **refund** 退款: the credit still left on the payment goes back as a staff refund row (`kind
  refund`, `source staff`, receipt `<receipt>-TK<n>`, event `payment.refunded`), and the payment
  keeps no credit. With no credit left — the integrator refunded it, or the payment was reversed
  — the mark is simply lifted; credit already spent on bills cannot be refunded here (VALIDATION:
  keep it as credit, or reverse the payment).
- **credit** 转预存: the credit stays, and the credits consumer applies it to the flat's next bills.

Either way the mark is lifted with when, by whom, how and a note, one audit row and event
`payment.cleared`. Idempotent by its key; a second clearing of the same payment is INVALID_STATE
(PAYMENT_NOT_OVERPAID). The payment row is locked first, so an integrator's refund of the same
payment arriving meanwhile queues and sees the credit as it is left."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from domain.errors import DomainError, ErrorCode, ErrorReason, invalid, not_found
from domain.fees.clearing_repository import ClearingRepository
from domain.fees.commands import ClearOverpaid, OverpaidResolution
from domain.fees.kinds import PayMethod
from domain.fees.model import OverpaidClearing, Payment, text_field
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission

OVERPAID = "OVERPAID"


async def clear_overpaid(cmd: ClearOverpaid, uow: UnitOfWork) -> UUID:
    """The payment's id (its refund, if one was made, is `problem_refund_id`)."""
    async with uow:
        request = {"paymentId": str(cmd.payment_id), "resolution": cmd.resolution.value, "note": cmd.note,
                   "method": cmd.method.value if cmd.method else None}
        if (done := await uow.claim(cmd.idempotency_key, "clearOverpaidPayment", request)) is not None:
            return UUID(done["id"])
        repo = ClearingRepository(uow)
        pay = await repo.locked(cmd.payment_id)
        if pay is None or pay.kind != "payment":
            raise not_found("The payment", "paymentId", zh="收款")
        uow.require(Permission.FEE_COLLECT, pay.project_id, "paymentId")
        if pay.problem != OVERPAID:
            done_before = "该笔收款已结清。The payment was already cleared." if pay.problem_resolution else \
                "该笔收款没有多收，无需结清。The payment is not marked overpaid."
            raise DomainError(ErrorCode.INVALID_STATE, done_before, "paymentId", reason=ErrorReason.PAYMENT_NOT_OVERPAID)
        note = text_field(cmd.note, "note", zh="备注", max_len=200, required=False)
        now, refund_id, left = datetime.now(UTC), None, pay.unallocated_fen
        if cmd.resolution is OverpaidResolution.REFUND:
            refunds = await repo.refunds(pay.id)
            if left > 0:
                refund = Payment.record(org_id=uow.org_id, project_id=pay.project_id, unit_id=pay.unit_id, amount_fen=left,
                                        method=cmd.method or PayMethod(pay.method), paid_at=now, note=note, invoice_no="",
                                        by=uow.actor)
                refund.receipt_no = f"{pay.receipt_no}-TK{refunds + 1}"
                refund.refunds(pay.id, taken_back=[], from_credit=left, periods=[], by=uow.actor)
                await repo.add_refund(refund, pay.id)
                refund_id, left = refund.id, 0
            elif pay.reversed_at is None and refunds == 0:
                raise invalid("这笔多收的款项已全部用于缴纳账单，没有可退的预存：请选择转预存，或冲正该笔收款。Nothing of this payment "
                              "is left as credit to refund (it paid bills since): keep it as credit, or reverse the payment.",
                              "resolution")
        amount = pay.unallocated_fen
        await repo.clear(pay.id, resolution=cmd.resolution.value, note=note, refund_id=refund_id, left=left, at=now)
        clearing = OverpaidClearing(id=pay.id, org_id=uow.org_id, project_id=pay.project_id, unit_id=pay.unit_id,
                                    receipt_no=pay.receipt_no)
        uow.track(clearing)
        clearing.cleared(resolution=cmd.resolution.value, amount_fen=amount, refund_id=refund_id, by=uow.actor)
        await uow.commit({"id": str(pay.id)})
    return cmd.payment_id
