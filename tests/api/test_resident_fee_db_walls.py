"""The resident role against the fee tables directly, as a bug in a resident read model would reach
them: a resident sees the rows of their own flat only while they live there (moved out:
nothing, on the next statement; an erasure closes the stays), never the staff-only columns, and writes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tenants.context import TenantScope
from tests.api.test_resident_fees import world  # noqa: F401 — fixture

_COUNTS = text("SELECT (SELECT count(*) FROM bills), (SELECT count(*) FROM payments), (SELECT count(*) FROM payment_allocations), "
               "(SELECT count(DISTINCT unit_id) FROM bills), (SELECT count(DISTINCT unit_id) FROM payments)")


def _scope(company, who: str = "zhang") -> TenantScope:
    rid = company.residents[who]
    return TenantScope(company.org.org_id, frozenset({company.org.projects["P1"]}), f"resident:{rid}", resident_id=rid)


async def _counts(platform, company) -> tuple:
    async with platform.transaction(_scope(company)) as conn:
        return tuple((await conn.execute(_COUNTS)).one())


async def test_a_resident_who_moved_out_sees_no_fee_row_on_the_next_statement(world, platform, owner_engine):  # noqa: F811
    a = world["a"]
    bills, payments, shares, flats, paid_flats = await _counts(platform, a)
    assert bills > 0 and payments == 1 and shares > 0 and flats == 1 and paid_flats == 1  # 301's, since 15 March
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE occupancies SET moved_out_on = CURRENT_DATE WHERE resident_id = :r"), {"r": a.residents["zhang"]})
    assert await _counts(platform, a) == (0, 0, 0, 0, 0)


_REFUSED = [
    "SELECT note FROM payments", "SELECT recorded_by FROM payments", "SELECT external_id FROM payments",
    "SELECT integration_id FROM payments", "SELECT problem FROM payments", "SELECT run_id FROM bills",
    "SELECT basis_snapshot FROM bills", "SELECT vacant_percent FROM charge_items", "SELECT * FROM charge_rates",
    "SELECT * FROM bill_adjustments",
    "SELECT * FROM payment_integrations", "SELECT * FROM kpi_fee_month", "SELECT * FROM fee_holds",
    "SELECT note FROM fee_reminders", "SELECT score FROM survey_campaigns", "SELECT seed FROM survey_campaigns",
    "UPDATE bills SET paid_fen = amount_fen", "DELETE FROM payments", "INSERT INTO payment_allocations "
    "(org_id, project_id, payment_id, bill_id, amount_fen) SELECT org_id, project_id, payment_id, bill_id, -amount_fen "
    "FROM payment_allocations",
]


async def test_staff_only_columns_and_every_write_are_refused_to_a_resident(world, platform):  # noqa: F811
    for sql in _REFUSED:  # one company for them all: each statement in its own transaction
        with pytest.raises(DBAPIError) as refused:
            async with platform.transaction(_scope(world["a"])) as conn:
                await conn.execute(text(sql))
        assert refused.value.orig.sqlstate == "42501", sql
