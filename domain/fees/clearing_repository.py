"""The rows of clearing an overpaid payment: the payment locked (a refund notified by the
integrator at the same moment queues on the same row), its refunds so far, the cashier's refund
row, and the mark lifted. Every statement names the company; row-level security walls it."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.fees.model import Payment
from domain.unit_of_work import UnitOfWork

_LOCKED = text(
    "SELECT id, project_id, unit_id, kind, method, receipt_no, unallocated_fen, problem, reversed_at, problem_resolution "
    "FROM payments WHERE org_id = :o AND id = :id FOR UPDATE")
_REFUNDS = text("SELECT count(*) AS n FROM payments WHERE org_id = :o AND refund_of = :id")
_INSERT_REFUND = text(
    "INSERT INTO payments (org_id, project_id, id, unit_id, kind, refund_of, amount_fen, method, source, receipt_no, paid_at, "
    "unallocated_fen, note, recorded_by) VALUES (:o, :p, :id, :u, 'refund', :of, :a, :m, 'staff', :receipt, :at, 0, :note, :by)")
_CLEAR = text(
    "UPDATE payments SET problem = NULL, problem_cleared_at = :at, problem_cleared_by = :by, problem_resolution = :resolution, "
    "problem_note = :note, problem_refund_id = :refund, unallocated_fen = :left WHERE org_id = :o AND id = :id")


class ClearingRepository:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow, self._org = uow, uow.org_id

    async def locked(self, payment_id: UUID) -> Any:
        return (await self._uow.conn.execute(_LOCKED, {"o": self._org, "id": payment_id})).first()

    async def refunds(self, payment_id: UUID) -> int:
        return int((await self._uow.conn.execute(_REFUNDS, {"o": self._org, "id": payment_id})).scalar_one())

    async def add_refund(self, refund: Payment, refund_of: UUID) -> None:
        await self._uow.conn.execute(_INSERT_REFUND, {
            "o": self._org, "p": refund.project_id, "id": refund.id, "u": refund.unit_id, "of": refund_of,
            "a": refund.amount_fen, "m": refund.method.value, "receipt": refund.receipt_no, "at": refund.paid_at,
            "note": refund.note, "by": refund.recorded_by})
        self._uow.track(refund)

    async def clear(self, payment_id: UUID, *, resolution: str, note: str, refund_id: UUID | None, left: int,
                    at: datetime) -> None:
        await self._uow.conn.execute(_CLEAR, {"o": self._org, "id": payment_id, "at": at, "by": self._uow.actor,
                                              "resolution": resolution, "note": note, "refund": refund_id, "left": left})
