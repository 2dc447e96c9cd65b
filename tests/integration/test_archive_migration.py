"""Migration 0027 on data (docs/archive.md §2.2): every old resident row becomes one open stay with
the same id and role, nothing is lost, cases' reporters hold under the new key, the downgrade
puts flat and role back, and a pair the new natural key would refuse stops the upgrade. Then 0036:
the old columns go, erased residents' open stays close, and its downgrade restores the columns."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from migrations.runner import alembic_config, ensure_roles
from tests.conftest import _admin, drop_database, make_org

BEFORE = "0026_case_order"


def _run(coro_fn, url):
    async def go():
        engine = create_async_engine(url)
        try:
            return await coro_fn(engine)
        finally:
            await engine.dispose()
    return asyncio.run(go())


async def _old_rows(engine) -> dict:
    org = await make_org(engine)
    p = org.projects["P1"]
    ids = {"o": org.org_id, "p": p, "b": uuid.uuid4(), "u1": uuid.uuid4(), "u2": uuid.uuid4(),
           "owner": uuid.uuid4(), "wife": uuid.uuid4(), "tenant": uuid.uuid4(), "c": uuid.uuid4(), "admin": org.admin_id}
    async with engine.begin() as conn:
        await conn.execute(text("INSERT INTO buildings (org_id, project_id, id, name) VALUES (:o, :p, :b, '3号楼')"), ids)
        await conn.execute(text("INSERT INTO units (org_id, project_id, id, building_id, number, floor) "
                                "VALUES (:o, :p, :u1, :b, '1502', 15), (:o, :p, :u2, :b, '803', 8)"), ids)
        await conn.execute(text(
            "INSERT INTO residents (org_id, project_id, id, unit_id, name, role, phone_hash, phone_masked, id_number_hash) VALUES "
            "(:o, :p, :owner, :u1, '王建国', 'owner', '\\x01', '138****0001', '\\x11'), "
            "(:o, :p, :wife, :u1, '李秀英', 'family', '\\x02', '138****0002', NULL), "
            "(:o, :p, :tenant, :u2, '张伟', 'tenant', NULL, NULL, NULL)"), ids)
        cat = (await conn.execute(text("SELECT id FROM case_categories WHERE org_id = :o LIMIT 1"), ids)).scalar()
        await conn.execute(text(
            "INSERT INTO cases (org_id, project_id, id, number, kind, severity, channel, category_id, unit_id, "
            "reporter_resident_id, first_receiver_id, description, state, received_at) VALUES (:o, :p, :c, 'GD-P1-20261122-0001', "
            "'repair', 'general', 'phone', :cat, :u1, :wife, :admin, '厨房漏水', 'received', now())"), {**ids, "cat": cat})
    return ids


async def _residents(engine, ids, columns: str = "id, unit_id, name, role, phone_masked") -> list[tuple]:
    async with engine.connect() as conn:
        return [tuple(r) for r in await conn.execute(text(
            f"SELECT {columns} FROM residents WHERE org_id = :o ORDER BY name"), ids)]


async def _erased_with_open_stays(engine, ids) -> dict:
    """Residents erased before an erasure closed their stays (0036 closes them): one erased at 20:00
    UTC on 1 March (2 March in Beijing), one with a stay entered ahead, from 10 March."""
    r = {**ids, "gone": uuid.uuid4(), "ahead": uuid.uuid4()}
    async with engine.begin() as conn:
        await conn.execute(text(
            "INSERT INTO residents (org_id, project_id, id, name, erased_at, erased_by) VALUES "
            "(:o, :p, :gone, '已删除住户', '2026-03-01 20:00+00', 'user:x'), "
            "(:o, :p, :ahead, '已删除住户', '2026-03-01 20:00+00', 'user:x')"), r)
        await conn.execute(text(
            "INSERT INTO occupancies (org_id, project_id, unit_id, resident_id, role, moved_in_on, moved_out_on) VALUES "
            "(:o, :p, :u2, :gone, 'owner', '2020-01-01', NULL), (:o, :p, :u2, :gone, 'tenant', '2018-01-01', '2019-01-01'), "
            "(:o, :p, :u1, :ahead, 'tenant', '2026-03-10', NULL)"), r)
    return r


async def _stays_of(engine, resident_ids) -> list[tuple]:
    async with engine.connect() as conn:
        return [tuple(r) for r in await conn.execute(text(
            "SELECT resident_id, moved_in_on, moved_out_on FROM occupancies WHERE resident_id = ANY(:r) "
            "ORDER BY resident_id, moved_in_on"), {"r": resident_ids})]


async def _columns(engine) -> list[str]:
    async with engine.connect() as conn:
        return list((await conn.execute(text(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'residents' "
            "AND column_name IN ('unit_id', 'role') ORDER BY 1"))).scalars())


async def _stays(engine, ids) -> list[tuple]:
    async with engine.connect() as conn:
        return [tuple(r) for r in await conn.execute(text(
            "SELECT resident_id, unit_id, role, primary_contact, moved_in_on, moved_out_on FROM occupancies "
            "WHERE org_id = :o ORDER BY resident_id"), ids)]


def test_upgrade_keeps_every_resident_and_makes_their_stays(server_url):
    name = f"fc_mig_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(server_url, f"CREATE DATABASE {name}"))
    url = server_url.set(database=name)
    cfg = alembic_config(url)
    try:
        asyncio.run(ensure_roles(url, "firstcall_app"))
        command.upgrade(cfg, BEFORE)
        ids = _run(_old_rows, url)
        before = _run(lambda e: _residents(e, ids), url)

        command.upgrade(cfg, "0035_notices")
        assert _run(lambda e: _residents(e, ids), url) == before, "same ids, names, flats, roles, masks"
        assert sorted(_run(lambda e: _stays(e, ids), url)) == sorted([
            (ids["owner"], ids["u1"], "owner", True, None, None),
            (ids["wife"], ids["u1"], "family", False, None, None),
            (ids["tenant"], ids["u2"], "tenant", False, None, None),
        ])
        erased = _run(lambda e: _erased_with_open_stays(e, ids), url)

        # Slice 11 (0036): the old columns go; erased residents' open stays close on their erasure's day.
        command.upgrade(cfg, "head")
        assert _run(_columns, url) == []
        assert sorted(_run(lambda e: _residents(e, ids, "id, name, phone_masked"), url)) == sorted(
            [(r[0], r[2], r[4]) for r in before] + [(erased[k], "已删除住户", None) for k in ("ahead", "gone")])
        assert sorted(_run(lambda e: _stays_of(e, [erased["gone"], erased["ahead"]]), url)) == sorted([
            (erased["gone"], date(2018, 1, 1), date(2019, 1, 1)),  # closed before: untouched
            (erased["gone"], date(2020, 1, 1), date(2026, 3, 2)),  # the Beijing day of the erasure
            (erased["ahead"], date(2026, 3, 10), date(2026, 3, 10)),  # entered ahead: closes on its first day
        ])
        assert len(_run(lambda e: _stays(e, ids), url)) == 6  # nothing else moved

        async def checks(engine):
            async with engine.connect() as conn:
                fk = (await conn.execute(text(
                    "SELECT convalidated FROM pg_constraint WHERE conname = 'cases_reporter_resident'"))).scalar()
                kinds = (await conn.execute(text(
                    "SELECT array_agg(id_kind ORDER BY name) FROM residents WHERE org_id = :o"), ids)).scalar()
                verified = (await conn.execute(text(
                    "SELECT count(*) FROM residents WHERE org_id = :o AND verified_at IS NOT NULL"), ids)).scalar()
                entrances = (await conn.execute(text("SELECT array_agg(DISTINCT entrance) FROM units WHERE org_id = :o"), ids)).scalar()
            return fk, kinds, verified, entrances
        assert _run(checks, url) == (True, [None, None, None, None, "id_card"], 0, [""])  # only 王建国 had an ID number

        async def bad_reporter(engine):
            async with engine.begin() as conn:
                await conn.execute(text("UPDATE cases SET reporter_resident_id = gen_random_uuid() WHERE id = :c"), ids)
        with pytest.raises(Exception, match="cases_reporter_resident"):
            _run(bad_reporter, url)

        # A new-style resident (no flat column) with a closed stay and an open one: the downgrade
        # gives them the open one's flat.
        async def new_style(engine):
            async with engine.begin() as conn:
                r = {**ids, "r": uuid.uuid4()}
                await conn.execute(text("INSERT INTO residents (org_id, project_id, id, name) VALUES (:o, :p, :r, '赵敏')"), r)
                await conn.execute(text(
                    "INSERT INTO occupancies (org_id, project_id, unit_id, resident_id, role, moved_in_on, moved_out_on) VALUES "
                    "(:o, :p, :u1, :r, 'tenant', '2020-01-01', '2022-01-01'), (:o, :p, :u2, :r, 'owner', '2022-02-01', NULL)"), r)
                return r["r"]
        newcomer = _run(new_style, url)

        command.downgrade(cfg, BEFORE)
        after = _run(lambda e: _residents(e, ids), url)
        assert [r for r in after if r[0] not in (newcomer, erased["gone"], erased["ahead"])] == before
        assert [r[1:4] for r in after if r[0] == newcomer] == [(ids["u2"], "赵敏", "owner")]

        # Two rows of one name and phone in one project: the upgrade stops and says why.
        async def twins(engine):
            async with engine.begin() as conn:
                await conn.execute(text(
                    "INSERT INTO residents (org_id, project_id, unit_id, name, role, phone_hash) "
                    "VALUES (:o, :p, :u2, '王建国', 'owner', '\\x01')"), ids)
        _run(twins, url)
        with pytest.raises(Exception, match="share a name and phone"):
            command.upgrade(cfg, "head")
    finally:
        drop_database(server_url, name)
