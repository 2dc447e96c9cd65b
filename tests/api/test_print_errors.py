"""The print and export endpoints when the database fails them: a read stopped by the statement
timeout gets its code, a connection lost mid-read is logged and answered INTERNAL — JSON with a
code either way, never the plain-text 500. Real failures: a table held locked by another
transaction, and the reading backend terminated by the server."""

from __future__ import annotations

import asyncio
import logging
import uuid

import httpx
from sqlalchemy import text

from api.app import create_app
from api.graphql.types.node import to_global_id
from tenants.platform import Platform

# Each endpoint with the table its read cannot do without.
ENDPOINTS = (
    (lambda org: (f"/print/written-replies/{to_global_id('WrittenReply', uuid.uuid4())}", {}), "written_replies"),
    (lambda org: (f"/print/bulletins/{to_global_id('Bulletin', uuid.uuid4())}", {}), "bulletins"),
    (lambda org: ("/print/monthly-summary", {"month": "2026-11"}), "kpi_project_month"),
    (lambda org: ("/export/monthly-summary.xlsx", {"month": "2026-11", "project": to_global_id("Project", org.projects["P1"])}),
     "kpi_project_month"),
    (lambda org: (f"/export/residents/{to_global_id('Resident', uuid.uuid4())}/personal-data.xlsx", {"reason": "本人申请查阅"}),
     "residents"),
    (lambda org: ("/export/archive/residents.xlsx", {"project": to_global_id("Project", org.projects["P1"])}), "occupancies"),
    (lambda org: ("/print/patrol-points", {"route": to_global_id("PatrolRoute", uuid.uuid4())}), "patrol_routes"),
    (lambda org: ("/print/morning-briefing", {"project": to_global_id("Project", org.projects["P1"])}), "shift_log_entries"),
    (lambda org: ("/export/hazards.xlsx", {"project": to_global_id("Project", org.projects["P1"])}), "hazards"),
)
_WAITING = text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
                "AND usename = 'firstcall_app'")


def code_of(r: httpx.Response) -> str:
    assert r.headers["content-type"] == "application/json", r.text
    return r.json()["errors"][0]["extensions"]["code"]


async def test_a_read_stopped_by_the_statement_timeout_gets_its_code(gql, org, settings, db_urls, owner_engine):
    token = await gql.login(org)
    impatient = Platform.create(settings.model_copy(update={"statement_timeout_ms": 200}), db_urls)
    app = create_app(impatient, None, instrument=False)
    try:
        async with (httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client,
                    owner_engine.begin() as conn):
            await conn.execute(text("LOCK TABLE written_replies, bulletins, kpi_project_month, residents, occupancies, patrol_routes, "
                                    "shift_log_entries, hazards "
                                    "IN ACCESS EXCLUSIVE MODE"))
            for where, _table in ENDPOINTS:
                path, params = where(org)
                r = await client.get(path, params=params, headers={"authorization": f"Bearer {token}"})
                assert r.status_code == 503 and code_of(r) == "QUERY_TOO_COMPLEX", (path, r.text)
                assert r.json()["errors"][0]["message"] == ("请求耗时过长，已被中止，请缩小查询范围。"
                                                            "The request took too long and was stopped.")
    finally:
        await impatient.close()


async def test_a_connection_lost_mid_read_is_logged_and_answered_internal(gql, org, owner_engine, client, caplog):
    token = await gql.login(org)
    for where, table in ENDPOINTS:
        path, params = where(org)
        caplog.clear()
        async with owner_engine.begin() as conn:
            await conn.execute(text(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
            request = asyncio.create_task(client.get(path, params=params, headers={"authorization": f"Bearer {token}"}))
            for _ in range(200):
                await conn.execute(text("SELECT pg_stat_clear_snapshot()"))  # the view is read once per transaction otherwise
                pids = (await conn.execute(_WAITING)).scalars().all()
                if pids:
                    break
                await asyncio.sleep(0.02)
            assert len(pids) == 1, "the read waits on the lock"
            await conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pids[0]})
            r = await request
        assert r.status_code == 500 and code_of(r) == "INTERNAL", (path, r.text)
        assert r.json()["errors"][0]["message"] == "系统出错，已记录，请稍后重试。Unexpected error. It has been logged."
        logged = [x for x in caplog.records if x.name == "firstcall.print" and x.levelno == logging.ERROR]
        assert len(logged) == 1 and logged[0].exc_info is not None, path
    # The pool recovers: the next read works.
    r = await client.get("/print/monthly-summary", params={"month": "2026-11"}, headers={"authorization": f"Bearer {token}"})
    assert r.status_code == 200
