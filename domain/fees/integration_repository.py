"""Payment integrations and what they send, in PostgreSQL: the integration rows, the integrator's
transactions found by their ids, payments and refunds written with every column the desk's
payments leave at their defaults, and a payment's net shares for a refund to take back. Every
statement names the company; row-level security walls it to the caller's projects (an inbound
request's wall is its integration's project), so another project's flat or bill is not found."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.fees.model import Payment
from domain.integrations.kinds import IntegrationKind
from domain.integrations.repository import IntegrationRows
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission

# What makes these rows one kind of signed integration (domain/integrations/).
PAYMENT = IntegrationKind(entity="payment_integration", table="payment_integrations", permission=Permission.FEE_MANAGE,
                          operation="PaymentIntegration", noun="The payment integration", zh="缴费对接")

# Two notifications of one transaction under different delivery ids queue here, so the second
# finds the first's payment rather than tripping over the unique index.
_LOCK_TRANSACTION = text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))")
_BY_EXTERNAL = text(
    "SELECT id, unit_id, amount_fen, refund_of, receipt_no, unallocated_fen, reversed_at, paid_at, method FROM payments "
    "WHERE org_id = :o AND integration_id = :i AND kind = :kind AND external_id = :x FOR UPDATE")
_BILL_UNIT = text("SELECT unit_id FROM bills WHERE org_id = :o AND id = :id")
_INSERT_PAYMENT = text(
    "INSERT INTO payments (org_id, project_id, id, unit_id, kind, refund_of, amount_fen, method, source, integration_id, "
    "external_id, receipt_no, paid_at, unallocated_fen, problem, recorded_by) VALUES (:o, :p, :id, :u, :kind, :refund_of, :a, "
    ":m, 'integration', :i, :x, :receipt, :paid_at, :left, :problem, :by)")
_ALLOCATE = text("INSERT INTO payment_allocations (org_id, project_id, payment_id, bill_id, amount_fen) "
                 "SELECT :o, :p, :pay, b, a FROM unnest(CAST(:bills AS uuid[]), CAST(:amounts AS bigint[])) AS x(b, a)")
# A payment's net share of each bill, newest period first: the order a refund takes them back in.
_SHARES_NEWEST_FIRST = text(
    "SELECT a.bill_id, sum(a.amount_fen)::bigint AS amount FROM payment_allocations a "
    "JOIN bills b ON b.org_id = a.org_id AND b.id = a.bill_id JOIN charge_items i ON i.org_id = b.org_id AND i.id = b.charge_item_id "
    "WHERE a.org_id = :o AND a.payment_id = :id GROUP BY a.bill_id, b.period, b.due_on, i.code "
    "HAVING sum(a.amount_fen) <> 0 ORDER BY b.period DESC, b.due_on DESC, i.code DESC, a.bill_id DESC")
_NET_SHARES = text("SELECT bill_id, sum(amount_fen)::bigint AS amount FROM payment_allocations WHERE org_id = :o "
                   "AND payment_id = :id GROUP BY bill_id HAVING sum(amount_fen) <> 0 ORDER BY bill_id")
_REFUNDED = text("SELECT coalesce(sum(amount_fen), 0)::bigint AS fen, count(*) AS n FROM payments "
                 "WHERE org_id = :o AND refund_of = :id")
_SET_CREDIT = text("UPDATE payments SET unallocated_fen = :left WHERE org_id = :o AND id = :id")


class IntegrationRepository(IntegrationRows):
    """The payment integrations (domain/integrations/repository.py has their own rows), and what they send."""

    def __init__(self, uow: UnitOfWork) -> None:
        super().__init__(uow, PAYMENT)

    async def _rows(self, stmt: Any, **params: Any) -> list[Any]:
        return list((await self._uow.conn.execute(stmt, {"o": self._org, **params})).all())

    # what an integrator sends

    async def lock_transaction(self, integration_id: UUID, kind: str, external_id: str) -> None:
        await self._uow.conn.execute(_LOCK_TRANSACTION, {"k": f"{self._org}|payment_integration:{integration_id}|{kind}|{external_id}"})

    async def by_external(self, integration_id: UUID, kind: str, external_id: str) -> Any:
        """The payment (or refund) recorded for this transaction (refund) id, locked."""
        return await self._one(_BY_EXTERNAL, i=integration_id, kind=kind, x=external_id)

    async def bill_unit(self, bill_id: UUID) -> UUID | None:
        """The flat a bill belongs to, if the bill is inside the wall."""
        row = await self._one(_BILL_UNIT, id=bill_id)
        return row.unit_id if row else None

    async def add_payment(self, pay: Payment, *, kind: str = "payment", refund_of: UUID | None = None) -> None:
        await self._uow.conn.execute(_INSERT_PAYMENT, {
            "o": self._org, "p": pay.project_id, "id": pay.id, "u": pay.unit_id, "kind": kind, "refund_of": refund_of,
            "a": pay.amount_fen, "m": pay.method.value, "i": pay.integration_id, "x": pay.external_id,
            "receipt": pay.receipt_no, "paid_at": pay.paid_at, "left": pay.unallocated_fen, "problem": pay.problem,
            "by": pay.recorded_by})
        if pay.allocations:
            await self.allocate(pay.project_id, pay.id, pay.allocations)
        self._uow.track(pay)

    async def allocate(self, project_id: UUID, payment_id: UUID, shares: list[tuple[UUID, int]]) -> None:
        """Appends shares to a payment (negative ones take money back; the history stays)."""
        await self._uow.conn.execute(_ALLOCATE, {"o": self._org, "p": project_id, "pay": payment_id,
                                                 "bills": [b for b, _ in shares], "amounts": [a for _, a in shares]})

    async def shares_newest_first(self, payment_id: UUID) -> list[tuple[UUID, int]]:
        return [(r.bill_id, int(r.amount)) for r in await self._rows(_SHARES_NEWEST_FIRST, id=payment_id)]

    async def net_shares(self, payment_id: UUID) -> list[tuple[UUID, int]]:
        return [(r.bill_id, int(r.amount)) for r in await self._rows(_NET_SHARES, id=payment_id)]

    async def refunded(self, payment_id: UUID) -> tuple[int, int]:
        """(fen refunded so far, refunds so far) of a payment."""
        row = await self._one(_REFUNDED, id=payment_id)
        return int(row.fen), int(row.n)

    async def set_credit(self, payment_id: UUID, left: int) -> None:
        await self._uow.conn.execute(_SET_CREDIT, {"o": self._org, "id": payment_id, "left": left})
