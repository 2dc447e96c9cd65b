"""Generating bills (docs/resident-services.md §6.2) against the real database: amounts rounded
once as money.py rounds them, vacancy, overrides, proration, skipped reasons; all or nothing (a
failure mid-statement leaves no bill, no run, no event); a second run of the same month creates
nothing and a flat added since gets its bill; a dry run counts exactly what the run then does;
a run while another holds the project's lock → BILLING_RUNNING; another company's project or
item → NOT_FOUND."""

from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from domain.errors import DomainError, ErrorCode, ErrorReason
from domain.fees import billing, service
from domain.fees.commands import GenerateBills, SetChargeOverride, SetChargeRate
from domain.fees.kinds import ChargeBasis
from domain.fees.money import bill_fen
from tests.integration.fees_setup import add_flats, add_item, uow_of

JAN = date(2026, 1, 1)


async def state(owner_engine, org) -> dict:
    async with owner_engine.connect() as conn:
        def q(sql):
            return conn.execute(text(sql), {"o": org.org_id})
        return {
            "bills": sorted((await q("SELECT unit_id, period, amount_fen FROM bills WHERE org_id = :o")).all()),
            "runs": (await q("SELECT dry_run, created, total_fen, skipped FROM bill_runs WHERE org_id = :o "
                             "ORDER BY started_at")).all(),
            "events": (await q("SELECT topic, payload->>'count' FROM outbox WHERE org_id = :o AND topic = 'bills.generated'")).all(),
            "audit": (await q("SELECT action FROM audit_log WHERE org_id = :o AND action = 'bills.generated'")).scalars().all(),
        }


def run(org, item, *, dry=False, frm=JAN, to=JAN, key=None, project="P1") -> GenerateBills:
    return GenerateBills(project_id=org.projects[project], from_month=frm, to_month=to, charge_item_ids=(item,), dry_run=dry,
                         idempotency_key=key)


async def test_sql_rounds_as_python_does(owner_engine):
    rng = random.Random(7)
    cases = [(rng.randint(1, 99_999_999), rng.randint(1, 2_000_000), rng.randint(0, 100), d, dim)
             for dim in (28, 30, 31) for d in (1, dim) for _ in range(1_700)]
    cases += [(8937, 23500, 100, 1, 1), (100, 12350, 100, 1, 1), (1, 1, 100, 1, 1), (99_999_999, 999_999, 100, 31, 31)]
    async with owner_engine.connect() as conn:
        rows = (await conn.execute(text(
            "SELECT round((a / 100.0)::numeric(8,2) * r * p * d / (10000 * dim)::numeric)::bigint FROM "
            "unnest(CAST(:a AS bigint[]), CAST(:r AS bigint[]), CAST(:p AS int[]), CAST(:d AS int[]), CAST(:dim AS int[])) "
            "AS x(a, r, p, d, dim)"), {k: [c[i] for c in cases] for i, k in enumerate(("a", "r", "p", "d", "dim"))})).scalars().all()
    assert len(cases) > 10_000
    assert list(rows) == [bill_fen(area_centi=a, rate_1e4=r, percent=p, days=d, days_in_month=dim) for a, r, p, d, dim in cases]


async def test_a_run_bills_each_flat_once_and_a_rerun_creates_nothing(platform, owner_engine, org):
    flats = await add_flats(owner_engine, org, "P1", [89.37, 100.0, None, 120.0, 50.0], vacant=(3,))
    item = await add_item(platform, org, vacant_percent=50)
    # 120 m² vacant at half; the fifth flat excluded, the second at a special rate.
    await service.set_charge_override(SetChargeOverride(charge_item_id=item, unit_id=flats[4], excluded=True, reason="开发商自持"),
                                      uow_of(platform, org))
    await service.set_charge_override(SetChargeOverride(charge_item_id=item, unit_id=flats[1], excluded=False, rate_1e4=10000,
                                                        reason="协议价"), uow_of(platform, org))

    dry = await billing.generate_bills(run(org, item, dry=True), uow_of(platform, org))
    assert dry and (await state(owner_engine, org))["bills"] == []  # a dry run leaves no bill …
    first = await billing.generate_bills(run(org, item, key="g1"), uow_of(platform, org))
    s = await state(owner_engine, org)
    assert {(u, a) for u, _, a in s["bills"]} == {(flats[0], 21002), (flats[1], 10000), (flats[3], 14100)}
    # … and counted exactly what the run did.
    assert [(r.dry_run, r.created, r.total_fen, r.skipped) for r in s["runs"]] == [
        (True, 3, 45102, {"NO_AREA": 1}), (False, 3, 45102, {"NO_AREA": 1})]
    assert s["events"] == [("bills.generated", "3")] and s["audit"] == ["bills.generated"]
    assert await billing.generate_bills(run(org, item, key="g1"), uow_of(platform, org)) == first  # the key again

    # The same month again: nothing new. A flat added, and one given its area, get theirs.
    await billing.generate_bills(run(org, item), uow_of(platform, org))
    assert (await state(owner_engine, org))["runs"][-1].created == 0
    late = await add_flats(owner_engine, org, "P1", [60.0])
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE units SET area_m2 = 70 WHERE id = :u"), {"u": flats[2]})
    await billing.generate_bills(run(org, item), uow_of(platform, org))
    s = await state(owner_engine, org)
    assert s["runs"][-1].created == 2 and len(s["bills"]) == 5
    assert {(u, a) for u, _, a in s["bills"]} >= {(late[0], 14100), (flats[2], 16450)}


async def test_proration_later_rates_and_fixed_amounts(platform, owner_engine, org):
    flats = await add_flats(owner_engine, org, "P1", [100.0])
    # Starts on 16 January: 16 of 31 days. A new rate from March.
    item = await add_item(platform, org, starts_on=date(2026, 1, 16), rate_1e4=20000)
    await service.set_charge_rate(SetChargeRate(charge_item_id=item, effective_from=date(2026, 3, 1), rate_1e4=30000),
                                  uow_of(platform, org))
    fixed = await add_item(platform, org, code="LJF", basis=ChargeBasis.FIXED, rate_1e4=1_500_000)
    await billing.generate_bills(run(org, item, to=date(2026, 3, 1)), uow_of(platform, org))
    await billing.generate_bills(run(org, fixed), uow_of(platform, org))
    bills = (await state(owner_engine, org))["bills"]
    assert sorted((p, a) for u, p, a in bills if u == flats[0]) == [
        (JAN, 10323), (JAN, 15000), (date(2026, 2, 1), 20000), (date(2026, 3, 1), 30000)]


async def test_a_failure_mid_statement_leaves_nothing(platform, owner_engine, org):
    await add_flats(owner_engine, org, "P1", [80.0, 999_999.99, 90.0])
    item = await add_item(platform, org, rate_1e4=9_000_000_000_000_000)  # the big flat's bill overflows bigint
    with pytest.raises(DBAPIError, match="out of range"):
        await billing.generate_bills(run(org, item), uow_of(platform, org))
    s = await state(owner_engine, org)
    assert (s["bills"], s["runs"], s["events"], s["audit"]) == ([], [], [], [])


async def test_a_second_run_at_once_is_refused(platform, owner_engine, org):
    await add_flats(owner_engine, org, "P1", [80.0])
    item = await add_item(platform, org)
    async with owner_engine.connect() as holder:
        await holder.execute(text("SELECT pg_advisory_lock(hashtext('bills'), hashtext(CAST(:p AS text)))"),
                             {"p": str(org.projects["P1"])})
        with pytest.raises(DomainError) as e:
            await billing.generate_bills(run(org, item), uow_of(platform, org))
        await holder.execute(text("SELECT pg_advisory_unlock_all()"))
    assert (e.value.code, e.value.reason) == (ErrorCode.CONFLICT, ErrorReason.BILLING_RUNNING)
    assert (await state(owner_engine, org))["runs"] == []


async def test_other_companies_projects_and_permissions(platform, owner_engine, org, other_org):
    await add_flats(owner_engine, org, "P1", [80.0])
    item = await add_item(platform, org)
    theirs = await add_item(platform, other_org)
    for cmd, uow in ((run(org, theirs), uow_of(platform, org)),  # another company's item
                     (run(org, item, project="P2"), uow_of(platform, org)),  # an item of another project
                     (run(org, item), uow_of(platform, other_org)),  # another company's project
                     (run(org, item), uow_of(platform, org, "project_manager", "P2"))):  # a project out of reach
        with pytest.raises(DomainError) as e:
            await billing.generate_bills(cmd, uow)
        assert e.value.code is ErrorCode.NOT_FOUND
    with pytest.raises(DomainError) as e:
        await billing.generate_bills(run(org, item), uow_of(platform, org, "cs_agent", "P1"))
    assert e.value.code is ErrorCode.FORBIDDEN
    assert (await state(owner_engine, org))["bills"] == []
