"""The fee core's edits in PostgreSQL: charge items, rates and overrides; bills and payments loaded
locked for a change and saved; allocations, adjustments and receipt numbers appended. Every
statement names the company; row-level security walls it (and the caller's projects), so another
company's id is simply not found."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.fees.kinds import BillState, ChargeBasis, ChargeKind, PayMethod
from domain.fees.model import Bill, ChargeItem, Payment
from domain.fees.rules import OpenBill
from domain.unit_of_work import UnitOfWork

_ITEM_COLUMNS = ("id, project_id, code, name, kind, basis, unit_uses, space_tenures, building_ids, vacant_percent, due_day, "
                 "starts_on, ends_on, active")
_PROJECT = text("SELECT code FROM projects WHERE org_id = :o AND id = :p")
_ITEM = text(f"SELECT {_ITEM_COLUMNS} FROM charge_items WHERE org_id = :o AND id = :id FOR UPDATE")
_ITEM_CODED = text("SELECT id FROM charge_items WHERE org_id = :o AND project_id = :p AND code = :code AND id <> :id")
_INSERT_ITEM = text(
    "INSERT INTO charge_items (org_id, project_id, id, code, name, kind, basis, unit_uses, space_tenures, building_ids, "
    "vacant_percent, due_day, starts_on, ends_on, active) VALUES (:o, :p, :id, :code, :name, :kind, :basis, :unit_uses, "
    ":space_tenures, :building_ids, :vacant_percent, :due_day, :starts_on, :ends_on, :active)")
_UPDATE_ITEM = text(
    "UPDATE charge_items SET name = :name, vacant_percent = :vacant_percent, due_day = :due_day, ends_on = :ends_on, "
    "active = :active, updated_at = now() WHERE org_id = :o AND id = :id")
_BUILDINGS_OF = text("SELECT count(*) FROM buildings WHERE org_id = :o AND project_id = :p AND id = ANY(:ids)")
_SET_RATE = text(
    "INSERT INTO charge_rates (org_id, project_id, charge_item_id, effective_from, rate_1e4) VALUES (:o, :p, :i, :f, :r) "
    "ON CONFLICT (org_id, project_id, charge_item_id, effective_from) DO UPDATE SET rate_1e4 = EXCLUDED.rate_1e4")
_SET_OVERRIDE = text(
    "INSERT INTO charge_overrides (org_id, project_id, charge_item_id, unit_id, excluded, rate_1e4, reason, until) "
    "VALUES (:o, :p, :i, :u, :x, :r, :reason, :until) ON CONFLICT (org_id, project_id, charge_item_id, unit_id) "
    "DO UPDATE SET excluded = EXCLUDED.excluded, rate_1e4 = EXCLUDED.rate_1e4, reason = EXCLUDED.reason, "
    "until = EXCLUDED.until, updated_at = now()")
_UNIT = text("SELECT project_id FROM units WHERE org_id = :o AND id = :id")
_UNITS_OF = text("SELECT id FROM units WHERE org_id = :o AND project_id = :p AND (id = ANY(:ids) OR building_id = :b)")
_ONE_OFF = text(
    "INSERT INTO bills (org_id, project_id, unit_id, charge_item_id, period, period_end, due_on, amount_fen, source, note, "
    "basis_snapshot) SELECT :o, :p, u, :i, :period, (CAST(:period AS date) + interval '1 month - 1 day')::date, :due, :amount, "
    "'one_off', :note, jsonb_build_object('amount_fen', CAST(:amount AS bigint)) FROM unnest(CAST(:units AS uuid[])) u "
    "ON CONFLICT (org_id, project_id, unit_id, charge_item_id, period, space_key) DO NOTHING RETURNING id")

_BILL = text("SELECT id, project_id, unit_id, amount_fen, waived_fen, paid_fen, state, closed_at FROM bills "
             "WHERE org_id = :o AND id = :id FOR UPDATE")
# A reversed payment's allocations cancel out: the bill holds no money of it any more.
_HAS_PAYMENTS = text("SELECT coalesce(sum(amount_fen), 0) <> 0 FROM payment_allocations WHERE org_id = :o AND bill_id = :id")
_SAVE_BILL = text("UPDATE bills SET waived_fen = :w, paid_fen = :paid, state = :s, closed_at = :c, updated_at = now() "
                  "WHERE org_id = :o AND id = :id")
_ADJUST = text("INSERT INTO bill_adjustments (org_id, project_id, bill_id, kind, amount_fen, reason, by) "
               "VALUES (:o, :p, :b, :k, :a, :reason, :by)")
# A flat's open bills locked in id order: two cashiers on one flat queue, and never deadlock.
_OPEN_BILLS = text(
    "SELECT b.id, b.due_on, b.period, i.code, b.amount_fen - b.waived_fen - b.paid_fen AS outstanding FROM bills b "
    "JOIN charge_items i ON i.org_id = b.org_id AND i.id = b.charge_item_id "
    "WHERE b.org_id = :o AND b.project_id = :p AND b.unit_id = :u AND b.state = 'open' ORDER BY b.id FOR UPDATE OF b")
_RECEIPT = text(
    "INSERT INTO receipt_numbers (org_id, project_id, day, last) VALUES (:o, :p, :d, 1) "
    "ON CONFLICT (org_id, project_id, day) DO UPDATE SET last = receipt_numbers.last + 1 RETURNING last")
_INSERT_PAYMENT = text(
    "INSERT INTO payments (org_id, project_id, id, unit_id, amount_fen, method, receipt_no, paid_at, unallocated_fen, "
    "invoice_no, note, recorded_by) VALUES (:o, :p, :id, :u, :a, :m, :receipt, :paid_at, :left, :invoice, :note, :by)")
_ALLOCATE = text("INSERT INTO payment_allocations (org_id, project_id, payment_id, bill_id, amount_fen) "
                 "SELECT :o, :p, :pay, b, a FROM unnest(CAST(:bills AS uuid[]), CAST(:amounts AS bigint[])) AS x(b, a)")
_PAYMENT = text("SELECT id, project_id, unit_id, kind, amount_fen, method, paid_at, receipt_no, unallocated_fen, note, invoice_no, "
                "recorded_by, reversed_at FROM payments WHERE org_id = :o AND id = :id FOR UPDATE")
_ALLOCATIONS = text("SELECT bill_id, sum(amount_fen) AS amount FROM payment_allocations WHERE org_id = :o "
                    "AND payment_id = :id GROUP BY bill_id HAVING sum(amount_fen) <> 0 ORDER BY bill_id")
_BILLS_LOCKED = text("SELECT id, project_id, unit_id, amount_fen, waived_fen, paid_fen, state, closed_at FROM bills "
                     "WHERE org_id = :o AND id = ANY(:ids) ORDER BY id FOR UPDATE")
_REVERSE = text("UPDATE payments SET reversed_at = :at, reversed_by = :by, reverse_reason = :reason, unallocated_fen = 0 "
                "WHERE org_id = :o AND id = :id")
_PERIODS = text("SELECT DISTINCT to_char(period, 'YYYY-MM') AS m FROM bills WHERE org_id = :o AND id = ANY(:ids) ORDER BY m")

# Credits and open bills of each flat as running ranges [start, end); a share is their overlap.
_APPLY_CREDITS = text("""
WITH credit AS (
  SELECT p.id, p.unit_id, p.unallocated_fen AS amount,
         sum(p.unallocated_fen) OVER (PARTITION BY p.unit_id ORDER BY p.paid_at, p.id) - p.unallocated_fen AS s
  FROM payments p WHERE p.org_id = :o AND p.project_id = :p AND p.unallocated_fen > 0 AND p.reversed_at IS NULL),
owed AS (
  SELECT b.id, b.unit_id, b.amount_fen - b.waived_fen - b.paid_fen AS amount,
         sum(b.amount_fen - b.waived_fen - b.paid_fen) OVER (PARTITION BY b.unit_id ORDER BY b.due_on, b.period, i.code, b.id)
           - (b.amount_fen - b.waived_fen - b.paid_fen) AS s
  FROM bills b JOIN charge_items i ON i.org_id = b.org_id AND i.id = b.charge_item_id
  WHERE b.org_id = :o AND b.project_id = :p AND b.state = 'open'
    AND b.unit_id IN (SELECT unit_id FROM credit)),
share AS (
  SELECT c.id AS payment_id, o.id AS bill_id, least(c.s + c.amount, o.s + o.amount) - greatest(c.s, o.s) AS amount
  FROM credit c JOIN owed o ON o.unit_id = c.unit_id
  WHERE least(c.s + c.amount, o.s + o.amount) > greatest(c.s, o.s)),
allocated AS (
  INSERT INTO payment_allocations (org_id, project_id, payment_id, bill_id, amount_fen)
  SELECT :o, :p, payment_id, bill_id, amount FROM share RETURNING amount_fen),
paid AS (
  UPDATE bills b SET paid_fen = b.paid_fen + x.amount, updated_at = now(),
         state = CASE WHEN b.amount_fen - b.waived_fen - b.paid_fen - x.amount = 0 THEN 'paid' ELSE b.state END,
         closed_at = CASE WHEN b.amount_fen - b.waived_fen - b.paid_fen - x.amount = 0 THEN now() ELSE b.closed_at END
  FROM (SELECT bill_id, sum(amount) AS amount FROM share GROUP BY bill_id) x
  WHERE b.org_id = :o AND b.id = x.bill_id RETURNING b.id),
spent AS (
  UPDATE payments p SET unallocated_fen = p.unallocated_fen - x.amount
  FROM (SELECT payment_id, sum(amount) AS amount FROM share GROUP BY payment_id) x
  WHERE p.org_id = :o AND p.id = x.payment_id RETURNING p.id)
SELECT (SELECT count(*) FROM allocated) AS n, (SELECT coalesce(sum(amount_fen), 0)::bigint FROM allocated) AS total,
       (SELECT count(*) FROM paid) + (SELECT count(*) FROM spent) AS touched
""")


def _bill(row: Any) -> Bill:
    return Bill(id=row.id, org_id=UUID(int=0), project_id=row.project_id, unit_id=row.unit_id, amount_fen=row.amount_fen,
                waived_fen=row.waived_fen, paid_fen=row.paid_fen, state=BillState(row.state), closed_at=row.closed_at)


class FeeRepository:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._org = uow.org_id

    async def _rows(self, stmt: Any, **params: Any) -> list[Any]:
        return list((await self._uow.conn.execute(stmt, {"o": self._org, **params})).all())

    async def _one(self, stmt: Any, **params: Any) -> Any:
        rows = await self._rows(stmt, **params)
        return rows[0] if rows else None

    async def project_code(self, project_id: UUID) -> str | None:
        row = await self._one(_PROJECT, p=project_id)
        return row.code if row else None

    # 收费项目 charge items

    async def item(self, item_id: UUID) -> ChargeItem | None:
        r = await self._one(_ITEM, id=item_id)
        if r is None:
            return None
        item = ChargeItem(id=r.id, org_id=self._org, project_id=r.project_id, code=r.code, name=r.name,
                          kind=ChargeKind(r.kind), basis=ChargeBasis(r.basis), unit_uses=list(r.unit_uses),
                          space_tenures=list(r.space_tenures), building_ids=list(r.building_ids) if r.building_ids else None,
                          vacant_percent=r.vacant_percent, due_day=r.due_day, starts_on=r.starts_on, ends_on=r.ends_on,
                          active=r.active)
        self._uow.track(item)
        return item

    async def item_coded(self, item: ChargeItem) -> UUID | None:
        row = await self._one(_ITEM_CODED, p=item.project_id, code=item.code, id=item.id)
        return row.id if row else None

    async def buildings_in_project(self, project_id: UUID, ids: list[UUID]) -> bool:
        row = await self._one(_BUILDINGS_OF, p=project_id, ids=ids)
        return bool(row[0] == len(set(ids)))

    async def add_item(self, item: ChargeItem) -> None:
        await self._rows_exec(_INSERT_ITEM, **self._item_params(item), p=item.project_id, starts_on=item.starts_on)
        self._uow.track(item)

    async def save_item(self, item: ChargeItem) -> None:
        await self._rows_exec(_UPDATE_ITEM, **self._item_params(item))

    def _item_params(self, i: ChargeItem) -> dict[str, Any]:
        return {"id": i.id, "code": i.code, "name": i.name, "kind": i.kind.value, "basis": i.basis.value,
                "unit_uses": i.unit_uses, "space_tenures": i.space_tenures, "building_ids": i.building_ids,
                "vacant_percent": i.vacant_percent, "due_day": i.due_day, "ends_on": i.ends_on, "active": i.active}

    async def _rows_exec(self, stmt: Any, **params: Any) -> None:
        await self._uow.conn.execute(stmt, {"o": self._org, **params})

    async def set_rate(self, item: ChargeItem, effective_from: date, rate_1e4: int) -> None:
        await self._rows_exec(_SET_RATE, p=item.project_id, i=item.id, f=effective_from, r=rate_1e4)

    async def set_override(self, item: ChargeItem, unit_id: UUID, *, excluded: bool, rate_1e4: int | None, reason: str,
                           until: date | None) -> None:
        await self._rows_exec(_SET_OVERRIDE, p=item.project_id, i=item.id, u=unit_id, x=excluded, r=rate_1e4,
                              reason=reason, until=until)

    async def unit_project(self, unit_id: UUID) -> UUID | None:
        row = await self._one(_UNIT, id=unit_id)
        return row.project_id if row else None

    async def units_of(self, project_id: UUID, unit_ids: list[UUID], building_id: UUID | None) -> list[UUID]:
        return [r.id for r in await self._rows(_UNITS_OF, p=project_id, ids=unit_ids, b=building_id)]

    async def charge_one_off(self, item: ChargeItem, units: list[UUID], *, period: date, due_on: date, amount_fen: int,
                             note: str) -> list[UUID]:
        rows = await self._rows(_ONE_OFF, p=item.project_id, i=item.id, units=units, period=period, due=due_on,
                                amount=amount_fen, note=note)
        return [r.id for r in rows]

    # 账单 bills

    async def bill(self, bill_id: UUID) -> Bill | None:
        row = await self._one(_BILL, id=bill_id)
        if row is None:
            return None
        b = _bill(row)
        b.org_id = self._org
        self._uow.track(b)
        return b

    async def has_payments(self, bill_id: UUID) -> bool:
        return bool((await self._one(_HAS_PAYMENTS, id=bill_id))[0])

    async def save_bill(self, b: Bill) -> None:
        await self._rows_exec(_SAVE_BILL, id=b.id, w=b.waived_fen, paid=b.paid_fen, s=b.state.value, c=b.closed_at)

    async def adjust(self, b: Bill, kind: str, amount: int, reason: str, by: str) -> None:
        await self._rows_exec(_ADJUST, p=b.project_id, b=b.id, k=kind, a=amount, reason=reason, by=by)

    async def open_bills(self, project_id: UUID, unit_id: UUID) -> list[OpenBill]:
        return [OpenBill(r.id, r.due_on, r.period, r.code, r.outstanding)
                for r in await self._rows(_OPEN_BILLS, p=project_id, u=unit_id)]

    async def bills_locked(self, ids: list[UUID]) -> list[Bill]:
        bills = [_bill(r) for r in await self._rows(_BILLS_LOCKED, ids=ids)]
        for b in bills:
            b.org_id = self._org
        return bills

    async def periods_of(self, bill_ids: list[UUID]) -> list[str]:
        return [r.m for r in await self._rows(_PERIODS, ids=bill_ids)]

    # 收款 payments

    async def next_receipt(self, project_id: UUID, day: date) -> int:
        return int((await self._one(_RECEIPT, p=project_id, d=day)).last)

    async def add_payment(self, pay: Payment) -> None:
        await self._rows_exec(_INSERT_PAYMENT, p=pay.project_id, id=pay.id, u=pay.unit_id, a=pay.amount_fen,
                              m=pay.method.value, receipt=pay.receipt_no, paid_at=pay.paid_at, left=pay.unallocated_fen,
                              invoice=pay.invoice_no, note=pay.note, by=pay.recorded_by)
        if pay.allocations:
            await self._rows_exec(_ALLOCATE, p=pay.project_id, pay=pay.id, bills=[b for b, _ in pay.allocations],
                                  amounts=[a for _, a in pay.allocations])
        self._uow.track(pay)

    async def payment(self, payment_id: UUID) -> Payment | None:
        r = await self._one(_PAYMENT, id=payment_id)
        if r is None:
            return None
        pay = Payment(id=r.id, org_id=self._org, project_id=r.project_id, unit_id=r.unit_id, amount_fen=r.amount_fen,
                      method=PayMethod(r.method), paid_at=r.paid_at, receipt_no=r.receipt_no,
                      unallocated_fen=r.unallocated_fen, note=r.note, invoice_no=r.invoice_no, recorded_by=r.recorded_by,
                      reversed_at=r.reversed_at, kind=r.kind)
        pay.allocations = [(a.bill_id, int(a.amount)) for a in await self._rows(_ALLOCATIONS, id=payment_id)]
        self._uow.track(pay)
        return pay

    async def apply_credits(self, project_id: UUID) -> tuple[int, int]:
        """(allocations made, fen applied) of every flat's credit to its open bills."""
        row = await self._one(_APPLY_CREDITS, p=project_id)
        return int(row.n), int(row.total)

    async def reverse_payment(self, pay: Payment, reason: str, at: datetime) -> None:
        """Marks it reversed and appends the negative allocations that undo its shares."""
        await self._rows_exec(_REVERSE, id=pay.id, at=at, by=self._uow.actor, reason=reason)
        if pay.allocations:
            await self._rows_exec(_ALLOCATE, p=pay.project_id, pay=pay.id, bills=[b for b, _ in pay.allocations],
                                  amounts=[-a for _, a in pay.allocations])
