"""The resident's wall (docs/resident-services.md §2.3), as the real database role: the application
role switched to `firstcall_resident` for the transaction sees only the resident's own rows — their
current flats, their flat's cases since they moved in, the cases they reported — nothing of another
flat, project or company; a table without a grant is refused; and the pooled connection is the
application role again after the transaction, whether it committed or failed."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from tenants.context import TenantScope
from tenants.db import tenant_transaction
from tests.conftest import add_unit, make_org

GRANTED = {"projects", "buildings", "departments", "units", "residents", "occupancies", "case_categories", "sla_policies",
           "sla_ladders", "calendar_days", "calendar_gaps", "cases", "case_numbers", "case_targets", "sla_timers",
           "escalations", "written_replies", "audit_log", "outbox", "idempotency_keys", "users", "resident_identities",
           "resident_quota", "notices", "notice_recipients", "notice_reads",
           "bills", "payments", "payment_allocations", "charge_items", "fee_reminders",
           "survey_campaigns", "survey_samples", "survey_questionnaires", "survey_questions", "survey_options", "survey_responses",
           "survey_answers"}


async def _resident(conn, org, project, unit, name, moved_in=None, moved_out=None):
    rid = uuid.uuid4()
    await conn.execute(text("INSERT INTO residents (org_id, project_id, id, name, phone_masked) VALUES (:o, :p, :r, :n, '138****0000')"),
                       {"o": org.org_id, "p": org.projects[project], "r": rid, "n": name})
    await conn.execute(text("INSERT INTO occupancies (org_id, project_id, unit_id, resident_id, role, moved_in_on, moved_out_on) "
                            "VALUES (:o, :p, :u, :r, 'owner', :i, :out)"),
                       {"o": org.org_id, "p": org.projects[project], "u": unit, "r": rid, "i": moved_in, "out": moved_out})
    return rid


async def _case(conn, org, project, unit, received, reporter=None):
    cid = uuid.uuid4()
    cat = (await conn.execute(text("SELECT id FROM case_categories WHERE org_id = :o LIMIT 1"), {"o": org.org_id})).scalar()
    await conn.execute(text(
        "INSERT INTO cases (org_id, project_id, id, number, kind, severity, channel, category_id, unit_id, reporter_resident_id, "
        "first_receiver_id, description, state, received_at) VALUES (:o, :p, :c, :n, 'repair', 'general', 'phone', :cat, :u, :r, "
        ":admin, '漏水', 'received', :at)"),
        {"o": org.org_id, "p": org.projects[project], "c": cid, "n": f"GD-{cid.hex[:8]}", "cat": cat, "u": unit, "r": reporter,
         "admin": org.admin_id, "at": datetime.fromisoformat(received)})
    await conn.execute(text("INSERT INTO audit_log (org_id, project_id, actor, action, entity, entity_id) "
                            "VALUES (:o, :p, 'user:x', 'case.received', 'case', :c)"),
                       {"o": org.org_id, "p": org.projects[project], "c": cid})
    return cid


@pytest.fixture
async def homes(owner_engine):
    """Company A: flat 301 (resident 张 since 2026-03-01; the tenant 钱 before, moved out), flat 302
    (resident 孙) in P1, flat 101 in P2 (张's other home is a separate resident there). Company B
    alike. Cases: in 301 before and after 张 moved in, in 302, in P2, one 张 reported in 302's
    corridor before moving (his own), and company B's."""
    a, b = await make_org(owner_engine), await make_org(owner_engine)
    u301, _ = await add_unit(owner_engine, a, "P1", "301")
    u302, _ = await add_unit(owner_engine, a, "P1", "302")
    u101, _ = await add_unit(owner_engine, a, "P2", "101")
    ub, _ = await add_unit(owner_engine, b, "P1", "301")
    async with owner_engine.begin() as conn:
        zhang = await _resident(conn, a, "P1", u301, "张三", moved_in=date(2026, 3, 1))
        qian = await _resident(conn, a, "P1", u301, "钱七", moved_in=date(2024, 1, 1), moved_out=date(2026, 2, 1))
        sun = await _resident(conn, a, "P1", u302, "孙八")
        zhang_p2 = await _resident(conn, a, "P2", u101, "张三")
        other = await _resident(conn, b, "P1", ub, "张三")
        cases = {
            "before": await _case(conn, a, "P1", u301, "2026-01-10T10:00:00+08:00", reporter=qian),
            "after": await _case(conn, a, "P1", u301, "2026-03-01T09:00:00+08:00"),
            "neighbour": await _case(conn, a, "P1", u302, "2026-04-01T09:00:00+08:00", reporter=sun),
            "reported": await _case(conn, a, "P1", u302, "2026-02-01T09:00:00+08:00", reporter=zhang),
            "p2": await _case(conn, a, "P2", u101, "2026-04-01T09:00:00+08:00", reporter=zhang_p2),
            "other_company": await _case(conn, b, "P1", ub, "2026-04-01T09:00:00+08:00", reporter=other),
        }
    return {"a": a, "b": b, "zhang": zhang, "qian": qian, "sun": sun, "u301": u301, "u302": u302, "u101": u101,
            "cases": cases}


def _scope(org, project, resident):
    return TenantScope(org.org_id, frozenset({org.projects[project]}), f"resident:{resident}", resident_id=resident)


async def _ids(conn, sql):
    return {r[0] for r in await conn.execute(text(sql))}


async def test_a_resident_sees_only_their_own_rows(platform, homes):
    a, c = homes["a"], homes["cases"]
    async with platform.transaction(_scope(a, "P1", homes["zhang"])) as conn:
        assert (await conn.execute(text("SELECT current_user"))).scalar() == "firstcall_resident"
        # Their flat's case since they moved in, and the one they reported; not the tenant's before them.
        assert await _ids(conn, "SELECT id FROM cases") == {c["after"], c["reported"]}
        assert await _ids(conn, "SELECT id FROM units") == {homes["u301"]}
        assert await _ids(conn, "SELECT id FROM residents") == {homes["zhang"]}
        assert await _ids(conn, "SELECT resident_id FROM occupancies") == {homes["zhang"]}
        assert await _ids(conn, "SELECT id FROM projects") == {a.projects["P1"]}
        assert await _ids(conn, "SELECT entity_id FROM audit_log") == {c["after"], c["reported"]}
        # A named id of another flat, project or company is simply not there.
        for other in ("before", "neighbour", "p2", "other_company"):
            assert (await conn.execute(text("SELECT count(*) FROM cases WHERE id = :c"), {"c": c[other]})).scalar() == 0


async def test_a_notice_reaching_two_flats_shows_each_resident_their_own_flat_only(platform, owner_engine, homes):
    """notice_recipients and notice_reads are walled by the resident's flat, not only their project."""
    a = homes["a"]
    ids = {"o": a.org_id, "p": a.projects["P1"], "u301": homes["u301"], "u302": homes["u302"], "sun": homes["sun"]}
    async with owner_engine.begin() as conn:
        ids["n"] = (await conn.execute(text(
            "INSERT INTO notices (org_id, project_id, title, body, kind, audience, state, author, published_at) "
            "VALUES (:o, :p, '停水', '明日停水', 'general', 'project', 'published', 'user:x', now()) RETURNING id"), ids)).scalar()
        await conn.execute(text("INSERT INTO notice_recipients (org_id, project_id, notice_id, unit_id) "
                                "VALUES (:o, :p, :n, :u301), (:o, :p, :n, :u302)"), ids)
        await conn.execute(text("INSERT INTO notice_reads (org_id, project_id, notice_id, unit_id, resident_id) "
                                "VALUES (:o, :p, :n, :u302, :sun)"), ids)
    async with platform.transaction(_scope(a, "P1", homes["zhang"])) as conn:
        assert await _ids(conn, "SELECT unit_id FROM notice_recipients") == {homes["u301"]}
        assert await _ids(conn, "SELECT unit_id FROM notice_reads") == set()
    with pytest.raises(DBAPIError):  # 张 may not mark his neighbour's flat as having read it
        async with platform.transaction(_scope(a, "P1", homes["zhang"])) as conn:
            await conn.execute(text("INSERT INTO notice_reads (org_id, project_id, notice_id, unit_id, resident_id) "
                                    "VALUES (:o, :p, :n, :u302, :z)"), ids | {"z": homes["zhang"]})


async def test_the_moved_out_tenant_keeps_only_what_they_reported(platform, homes):
    a, c = homes["a"], homes["cases"]
    async with platform.transaction(_scope(a, "P1", homes["qian"])) as conn:
        assert await _ids(conn, "SELECT id FROM cases") == {c["before"]}
        assert await _ids(conn, "SELECT id FROM units") == set()


async def test_another_project_in_the_token_shows_nothing_of_this_one(platform, homes):
    a = homes["a"]
    # 张's id with P2's project: his P1 rows stay behind the project rule.
    async with platform.transaction(_scope(a, "P2", homes["zhang"])) as conn:
        assert await _ids(conn, "SELECT id FROM cases") == set()
        assert await _ids(conn, "SELECT id FROM units") == set()
        assert await _ids(conn, "SELECT id FROM residents") == set()
    # Company B's wall with company A's resident: nothing.
    b = homes["b"]
    async with platform.transaction(TenantScope(b.org_id, frozenset({b.projects["P1"]}), f"resident:{homes['zhang']}",
                                                resident_id=homes["zhang"])) as conn:
        assert await _ids(conn, "SELECT id FROM cases") == set()
        assert await _ids(conn, "SELECT id FROM residents") == set()


async def test_a_resident_cannot_write_a_case_for_another_flat_or_person(platform, homes):
    a = homes["a"]
    async with platform.transaction(_scope(a, "P1", homes["zhang"])) as conn:
        cat = (await conn.execute(text("SELECT id FROM case_categories LIMIT 1"))).scalar()
        with pytest.raises(DBAPIError, match="row-level security"):
            await conn.execute(text(
                "INSERT INTO cases (org_id, project_id, id, number, kind, severity, channel, category_id, unit_id, "
                "reporter_resident_id, first_receiver_id, description, state, received_at) VALUES (:o, :p, gen_random_uuid(), "
                "'GD-X', 'repair', 'general', 'app', :cat, :u, :r, :r, '漏水', 'received', now())"),
                {"o": a.org_id, "p": a.projects["P1"], "cat": cat, "u": homes["u302"], "r": homes["zhang"]})
    async with platform.transaction(_scope(a, "P1", homes["zhang"])) as conn:
        # Another flat's case is not even found to update.
        done = await conn.execute(text("UPDATE cases SET state = 'cancelled' WHERE id = :c"), {"c": homes["cases"]["neighbour"]})
        assert done.rowcount == 0


@pytest.mark.parametrize("table", ["api_keys", "staff", "alerts", "kpi_project_month", "deliveries", "role_assignments",
                                   "resident_contacts"])
async def test_a_table_without_a_grant_is_refused(platform, homes, table):
    async with platform.transaction(_scope(homes["a"], "P1", homes["zhang"])) as conn:
        with pytest.raises(DBAPIError, match="permission denied"):
            await conn.execute(text(f"SELECT 1 FROM {table} LIMIT 1"))


async def test_phone_ciphertext_is_not_granted(platform, homes):
    async with platform.transaction(_scope(homes["a"], "P1", homes["zhang"])) as conn:
        with pytest.raises(DBAPIError, match="permission denied"):
            await conn.execute(text("SELECT phone_enc FROM residents"))


async def test_the_connection_is_the_application_role_again_after_commit_and_after_failure(db_urls, homes):
    # One pooled connection, so the next transaction is surely on the same one.
    engine = create_async_engine(db_urls.app, isolation_level="AUTOCOMMIT", pool_size=1, max_overflow=0)
    a = homes["a"]
    staff = TenantScope(a.org_id, None, "user:x")
    try:
        async with tenant_transaction(engine, _scope(a, "P1", homes["zhang"])) as conn:
            assert (await conn.execute(text("SELECT count(*) FROM cases"))).scalar() == 2
        async with tenant_transaction(engine, staff) as conn:
            assert (await conn.execute(text("SELECT current_user, current_setting('app.resident_id')"))).one() == (
                "firstcall_app", "")
            assert (await conn.execute(text("SELECT count(*) FROM cases"))).scalar() == 5  # all of company A's
        with pytest.raises(DBAPIError):
            async with tenant_transaction(engine, _scope(a, "P1", homes["zhang"])) as conn:
                await conn.execute(text("SELECT 1 FROM api_keys"))
        async with tenant_transaction(engine, staff) as conn:
            assert (await conn.execute(text("SELECT current_user"))).scalar() == "firstcall_app"
            assert (await conn.execute(text("SELECT count(*) FROM api_keys"))).scalar() >= 0
        # Staff sessions never match a resident policy, even with a resident id left in a setting.
        async with tenant_transaction(engine, staff) as conn:
            await conn.execute(text("SELECT set_config('app.resident_id', :r, true)"), {"r": str(homes["zhang"])})
            assert (await conn.execute(text("SELECT count(*) FROM cases"))).scalar() == 5
    finally:
        await engine.dispose()


async def test_every_granted_table_has_a_resident_policy_per_command_and_nothing_else_is_granted(owner_engine):
    async with owner_engine.connect() as conn:
        grants = (await conn.execute(text(
            "SELECT table_name, privilege_type FROM information_schema.role_table_grants WHERE grantee = 'firstcall_resident' "
            "UNION SELECT table_name, privilege_type FROM information_schema.role_column_grants "
            "WHERE grantee = 'firstcall_resident'"))).all()
        policies = {(r.tablename, r.cmd) for r in await conn.execute(text(
            "SELECT tablename, cmd FROM pg_policies WHERE 'firstcall_resident' = ANY(roles)"))}
        app = (await conn.execute(text("SELECT rolinherit FROM pg_roles WHERE rolname = 'firstcall_app'"))).scalar()
    assert app is False, "the application role must be NOINHERIT"
    assert {t for t, _ in grants} == GRANTED
    for table, privilege in grants:
        assert (table, privilege) in policies, f"{table}: {privilege} granted without a resident_wall policy"


async def test_fees_are_theirs_from_the_move_in_and_staff_columns_are_closed(owner_engine, platform, homes):
    """§6.9: bills of months ending on or after the move-in (1 March), payments since, the shares of
    those payments; not the previous tenant's February, the neighbour's flat or who recorded what."""
    a, o, p = homes["a"], homes["a"].org_id, homes["a"].projects["P1"]
    ids = {k: uuid.uuid4() for k in ("item", "feb", "mar", "neighbour", "paid_feb", "paid_mar")}
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO charge_items (org_id, project_id, id, code, name, kind, basis, starts_on) "
                                "VALUES (:o, :p, :i, 'WYF', '物业费', 'property', 'fixed', '2026-01-01')"),
                           {"o": o, "p": p, "i": ids["item"]})
        for bill, unit, month in (("feb", "u301", "2026-02-01"), ("mar", "u301", "2026-03-01"), ("neighbour", "u302", "2026-03-01")):
            start = date.fromisoformat(month)
            await conn.execute(text(
                "INSERT INTO bills (org_id, project_id, id, unit_id, charge_item_id, period, period_end, due_on, amount_fen, source) "
                "VALUES (:o, :p, :b, :u, :i, :m, (CAST(:m AS date) + interval '1 month - 1 day')::date, :m, 10000, 'run')"),
                {"o": o, "p": p, "b": ids[bill], "u": homes[unit], "i": ids["item"], "m": start})
        for pay, bill, at in (("paid_feb", "feb", "2026-02-15T10:00:00+08:00"), ("paid_mar", "mar", "2026-03-05T10:00:00+08:00")):
            await conn.execute(text(
                "INSERT INTO payments (org_id, project_id, id, unit_id, amount_fen, method, receipt_no, paid_at, recorded_by) "
                "VALUES (:o, :p, :x, :u, 10000, 'cash', :n, :at, 'user:x')"),
                {"o": o, "p": p, "x": ids[pay], "u": homes["u301"], "n": f"SJ-{pay}", "at": datetime.fromisoformat(at)})
            await conn.execute(text("INSERT INTO payment_allocations (org_id, project_id, payment_id, bill_id, amount_fen) "
                                    "VALUES (:o, :p, :x, :b, 10000)"), {"o": o, "p": p, "x": ids[pay], "b": ids[bill]})
    async with platform.transaction(_scope(a, "P1", homes["zhang"])) as conn:
        assert await _ids(conn, "SELECT id FROM bills") == {ids["mar"]}
        assert await _ids(conn, "SELECT id FROM payments") == {ids["paid_mar"]}
        assert await _ids(conn, "SELECT payment_id FROM payment_allocations") == {ids["paid_mar"]}
        assert await _ids(conn, "SELECT id FROM charge_items") == {ids["item"]}
    for closed in ("SELECT recorded_by FROM payments", "SELECT basis_snapshot FROM bills", "SELECT id FROM bill_runs",
                   "SELECT id FROM bill_adjustments"):
        async with platform.transaction(_scope(a, "P1", homes["zhang"])) as conn:
            with pytest.raises(DBAPIError, match="permission denied"):
                await conn.execute(text(closed))
    async with platform.transaction(_scope(a, "P1", homes["qian"])) as conn:  # moved out: nothing of the flat's fees
        assert await _ids(conn, "SELECT id FROM bills") == set() and await _ids(conn, "SELECT id FROM payments") == set()
    async with platform.transaction(_scope(homes["b"], "P1", homes["zhang"])) as conn:
        assert await _ids(conn, "SELECT id FROM bills") == set() and await _ids(conn, "SELECT id FROM charge_items") == set()


async def test_notice_recipients_and_reads_are_of_their_own_flats_only(owner_engine, platform, homes):
    """A notice that reached 301 and 302: 张 (301) sees 301's recipient row only, and cannot record a
    read for 302."""
    a, o, p = homes["a"], homes["a"].org_id, homes["a"].projects["P1"]
    async with owner_engine.begin() as conn:
        notice = (await conn.execute(text(
            "INSERT INTO notices (org_id, project_id, title, body, kind, audience, state, author, published_at) "
            "VALUES (:o, :p, '停水', '停水。', 'general', 'units', 'published', 'user:x', now()) RETURNING id"),
            {"o": o, "p": p})).scalar_one()
        for unit in ("u301", "u302"):
            await conn.execute(text("INSERT INTO notice_recipients (org_id, project_id, notice_id, unit_id) VALUES (:o, :p, :n, :u)"),
                               {"o": o, "p": p, "n": notice, "u": homes[unit]})
    async with platform.transaction(_scope(a, "P1", homes["zhang"])) as conn:
        assert await _ids(conn, "SELECT unit_id FROM notice_recipients") == {homes["u301"]}
        with pytest.raises(DBAPIError, match="row-level security"):
            await conn.execute(text("INSERT INTO notice_reads (org_id, project_id, notice_id, unit_id, resident_id) "
                                    "VALUES (:o, :p, :n, :u, :r)"), {"o": o, "p": p, "n": notice, "u": homes["u302"], "r": homes["zhang"]})
