"""Money at the desk (docs/resident-services.md §6.3) against the real database: a payment spread
oldest first with the rest kept as credit, its receipt number, idempotent by key (the same key
again answers the first payment and writes nothing); named allocations; two payments on one flat
at once; reversal reopening the bills; waiver; cancellation refused once a bill has payments;
another company's flat, bill or payment NOT_FOUND and nothing changed."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text

from domain.errors import DomainError, ErrorCode, ErrorReason
from domain.fees import billing, payments
from domain.fees.commands import CancelBill, GenerateBills, RecordPayment, ReversePayment, WaiveBill
from domain.fees.kinds import PayMethod
from tests.integration.fees_setup import add_flats, add_item, uow_of


async def billed(platform, owner_engine, org, months: int = 3):
    """One flat of 100 m² at 2.00 元: 20,000 fen a month, January onwards."""
    [flat] = await add_flats(owner_engine, org, "P1", [100.0])
    item = await add_item(platform, org, rate_1e4=20000)
    await billing.generate_bills(GenerateBills(project_id=org.projects["P1"], from_month=date(2026, 1, 1),
                                               to_month=date(2026, months, 1), charge_item_ids=(item,)), uow_of(platform, org))
    return flat


async def bills(owner_engine, org) -> list:
    async with owner_engine.connect() as conn:
        return (await conn.execute(text("SELECT id, period, paid_fen, waived_fen, state FROM bills WHERE org_id = :o "
                                        "ORDER BY period"), {"o": org.org_id})).all()


async def ledger(owner_engine, org) -> dict:
    async with owner_engine.connect() as conn:
        def q(sql):
            return conn.execute(text(sql), {"o": org.org_id})
        return {"bills": (await q("SELECT period, paid_fen, waived_fen, state FROM bills WHERE org_id = :o ORDER BY period")).all(),
                "payments": (await q("SELECT amount_fen, unallocated_fen, receipt_no, reversed_at IS NOT NULL FROM payments "
                                     "WHERE org_id = :o ORDER BY created_at")).all(),
                "allocations": (await q("SELECT count(*), coalesce(sum(amount_fen), 0) FROM payment_allocations "
                                        "WHERE org_id = :o")).one(),
                "events": (await q("SELECT topic FROM outbox WHERE org_id = :o AND topic ~ '^(payment|bill)\\.' "
                                   "ORDER BY created_at")).scalars().all()}


PAID_AT = datetime.now(UTC) - timedelta(hours=1)


def pay(flat, amount, key=None, **kw) -> RecordPayment:
    return RecordPayment(unit_id=flat, amount_fen=amount, method=PayMethod.WECHAT, paid_at=PAID_AT,
                         idempotency_key=key, **kw)


async def test_a_payment_is_spread_oldest_first_and_once_per_key(platform, owner_engine, org):
    flat = await billed(platform, owner_engine, org)
    first = await payments.record_payment(pay(flat, 50000, key="desk-1"), uow_of(platform, org, "cs_agent", "P1"))
    again = await payments.record_payment(pay(flat, 50000, key="desk-1"), uow_of(platform, org, "cs_agent", "P1"))
    assert again == first
    s = await ledger(owner_engine, org)
    assert [(b.paid_fen, b.state) for b in s["bills"]] == [(20000, "paid"), (20000, "paid"), (10000, "open")]
    [(amount, credit, receipt, reversed_)] = s["payments"]
    assert (amount, credit, reversed_) == (50000, 0, False)
    assert receipt.startswith("SJ-P1-") and receipt.endswith("-0001")
    assert s["allocations"] == (3, 50000) and s["events"] == ["payment.recorded"]

    # More than is owed: the rest is credit; the next receipt number of the day.
    await payments.record_payment(pay(flat, 15000), uow_of(platform, org))
    s = await ledger(owner_engine, org)
    assert s["bills"][2].state == "paid" and s["payments"][1][1] == 5000 and s["payments"][1][2].endswith("-0002")


async def test_named_allocations_and_two_cashiers_at_once(platform, owner_engine, org):
    flat = await billed(platform, owner_engine, org)
    march = (await bills(owner_engine, org))[2].id
    await payments.record_payment(pay(flat, 8000, allocations=((march, 8000),)), uow_of(platform, org))
    assert [b.paid_fen for b in await bills(owner_engine, org)] == [0, 0, 8000]
    # Two payments of the flat at once: they queue on the flat's bills; nothing is paid twice.
    await asyncio.gather(payments.record_payment(pay(flat, 30000), uow_of(platform, org)),
                         payments.record_payment(pay(flat, 30000), uow_of(platform, org)))
    s = await ledger(owner_engine, org)
    assert sum(b.paid_fen for b in s["bills"]) == 60000  # all that is owed is paid, once
    assert sum(p[1] for p in s["payments"]) == 8000  # 68,000 in, 60,000 owed: the rest is credit
    with pytest.raises(DomainError) as e:
        await payments.record_payment(pay(flat, 100, allocations=((march, 100),)), uow_of(platform, org))
    assert e.value.field == "allocations"


async def test_reversal_reopens_and_a_paid_bill_cannot_be_cancelled(platform, owner_engine, org):
    flat = await billed(platform, owner_engine, org, months=2)
    jan, feb = (b.id for b in await bills(owner_engine, org))
    payment = await payments.record_payment(pay(flat, 25000), uow_of(platform, org))
    with pytest.raises(DomainError) as e:
        await payments.cancel_bill(CancelBill(bill_id=feb, reason="录错"), uow_of(platform, org))
    assert e.value.reason is ErrorReason.BILL_HAS_PAYMENTS
    with pytest.raises(DomainError) as e:  # a CS agent collects but does not adjust
        await payments.reverse_payment(ReversePayment(payment_id=payment, reason="收错户"), uow_of(platform, org, "cs_agent", "P1"))
    assert e.value.code is ErrorCode.FORBIDDEN

    await payments.reverse_payment(ReversePayment(payment_id=payment, reason="收错户"), uow_of(platform, org, "cs_supervisor", "P1"))
    s = await ledger(owner_engine, org)
    assert [(b.paid_fen, b.state) for b in s["bills"]] == [(0, "open"), (0, "open")]
    assert s["allocations"] == (4, 0) and s["payments"][0][3] is True
    with pytest.raises(DomainError) as e:
        await payments.reverse_payment(ReversePayment(payment_id=payment, reason="再冲"), uow_of(platform, org))
    assert e.value.reason is ErrorReason.PAYMENT_REVERSED

    await payments.waive_bill(WaiveBill(bill_id=jan, amount_fen=20000, reason="困难户减免"), uow_of(platform, org))
    await payments.cancel_bill(CancelBill(bill_id=feb, reason="重复出账"), uow_of(platform, org))
    s = await ledger(owner_engine, org)
    assert [(b.waived_fen, b.state) for b in s["bills"]] == [(20000, "waived"), (20000, "cancelled")]
    assert s["events"] == ["payment.recorded", "payment.reversed", "bill.waived", "bill.cancelled"]
    with pytest.raises(DomainError) as e:
        await payments.waive_bill(WaiveBill(bill_id=jan, amount_fen=1, reason="再减"), uow_of(platform, org))
    assert e.value.reason is ErrorReason.BILL_NOT_OPEN


async def test_another_company_finds_nothing_and_nothing_changes(platform, owner_engine, org, other_org):
    flat = await billed(platform, owner_engine, org)
    jan = (await bills(owner_engine, org))[0].id
    payment = await payments.record_payment(pay(flat, 1000), uow_of(platform, org))
    before = await ledger(owner_engine, org)
    for use_case, field in ((payments.record_payment(pay(flat, 1000), uow_of(platform, other_org)), "unitId"),
                            (payments.record_payment(pay(flat, 1000), uow_of(platform, org, "project_manager", "P2")), "unitId"),
                            (payments.waive_bill(WaiveBill(bill_id=jan, amount_fen=1, reason="x"), uow_of(platform, other_org)), "billId"),
                            (payments.cancel_bill(CancelBill(bill_id=jan, reason="x"), uow_of(platform, other_org)), "billId"),
                            (payments.reverse_payment(ReversePayment(payment_id=payment, reason="x"), uow_of(platform, other_org)),
                             "paymentId")):
        with pytest.raises(DomainError) as e:
            await use_case
        assert (e.value.code, e.value.field) == (ErrorCode.NOT_FOUND, field)
    assert await ledger(owner_engine, org) == before


async def test_a_payment_dated_too_far_back_or_ahead_is_refused(platform, owner_engine, org):
    flat = await billed(platform, owner_engine, org, months=1)
    for when in (datetime.now(UTC) - timedelta(days=32), datetime.now(UTC) + timedelta(hours=1)):
        with pytest.raises(DomainError) as e:
            await payments.record_payment(RecordPayment(unit_id=flat, amount_fen=100, method=PayMethod.CASH, paid_at=when),
                                          uow_of(platform, org))
        assert e.value.field == "paidAt"


async def test_credit_pays_the_next_run_s_bills_once(platform, owner_engine, org):
    from domain.fees.credits import apply_credits
    from domain.unit_of_work import UnitOfWork
    from tenants.context import TenantScope
    from workers.handlers import HANDLERS

    assert "fee_credits" in [name for name, _ in HANDLERS["bills.generated"]]
    flat = await billed(platform, owner_engine, org, months=1)
    await payments.record_payment(pay(flat, 50000), uow_of(platform, org))  # 20,000 owed: 30,000 prepaid
    async with owner_engine.connect() as conn:
        item_id = (await conn.execute(text("SELECT id FROM charge_items WHERE org_id = :o"), {"o": org.org_id})).scalar_one()
    await billing.generate_bills(GenerateBills(project_id=org.projects["P1"], from_month=date(2026, 2, 1),
                                               to_month=date(2026, 3, 1), charge_item_ids=(item_id,)), uow_of(platform, org))
    async with owner_engine.connect() as conn:
        row = (await conn.execute(text("SELECT id, topic, org_id, project_id, payload FROM outbox WHERE org_id = :o "
                                       "AND topic = 'bills.generated' ORDER BY created_at DESC LIMIT 1"), {"o": org.org_id})).one()
    event = {"id": str(row.id), "topic": row.topic, "org_id": str(row.org_id), "project_id": str(row.project_id),
             "payload": row.payload}

    def worker() -> UnitOfWork:
        return UnitOfWork(platform, org_id=org.org_id, actor="worker:fee_credits",
                          scope=TenantScope(org.org_id, None, "worker"))

    async with worker() as uow:
        await apply_credits(uow, event)
        await uow.commit()
    s = await ledger(owner_engine, org)
    assert [(b.period, b.paid_fen, b.state) for b in s["bills"]] == [
        (date(2026, 1, 1), 20000, "paid"), (date(2026, 2, 1), 20000, "paid"), (date(2026, 3, 1), 10000, "open")]
    assert s["payments"][0][1] == 0 and s["allocations"] == (3, 50000)
    async with worker() as uow:  # nothing left to apply: nothing changes
        await apply_credits(uow, event)
        await uow.commit()
    assert await ledger(owner_engine, org) == s
    async with owner_engine.connect() as conn:
        audit = (await conn.execute(text("SELECT data FROM audit_log WHERE org_id = :o AND action = 'credits.applied'"),
                                    {"o": org.org_id})).scalars().all()
    assert audit == [{"allocations": 2, "amount_fen": 30000}]
