"""Migration 0028 on data: two staff members of one project with one number stop the upgrade with
a message; once one is corrected the key builds, another project may hold the number, and the
downgrade drops it again."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from migrations.runner import alembic_config, ensure_roles
from tests.conftest import _admin, drop_database, make_org
from tests.integration.test_archive_migration import _run

BEFORE = "0029_archive_accuracy"


def test_staff_phone_key_refuses_duplicates_then_holds(server_url):
    name = f"fc_mig_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(server_url, f"CREATE DATABASE {name}"))
    url = server_url.set(database=name)
    cfg = alembic_config(url)
    try:
        asyncio.run(ensure_roles(url, "firstcall_app"))
        command.upgrade(cfg, BEFORE)
        org = _run(make_org, url)
        ids = {"o": org.org_id, "p1": org.projects["P1"], "p2": org.projects["P2"]}

        async def add(engine, project: str, who: str):
            async with engine.begin() as conn:
                await conn.execute(text("INSERT INTO staff (org_id, project_id, name, phone_hash) "
                                        "VALUES (:o, :p, :n, '\\x01')"), {**ids, "p": ids[project], "n": who})

        _run(lambda e: add(e, "p1", "甲"), url)
        _run(lambda e: add(e, "p1", "乙"), url)
        _run(lambda e: add(e, "p2", "丙"), url)
        with pytest.raises(Exception, match="staff phone key: 1 phone numbers"):
            command.upgrade(cfg, "0030_staff_phone_key")

        async def correct(engine):
            async with engine.begin() as conn:
                await conn.execute(text("UPDATE staff SET phone_hash = NULL WHERE org_id = :o AND name = '乙'"), ids)
        _run(correct, url)
        command.upgrade(cfg, "0030_staff_phone_key")
        with pytest.raises(IntegrityError, match="staff_phone"):
            _run(lambda e: add(e, "p1", "丁"), url)

        async def code_owners(engine):
            async with engine.connect() as conn:
                return (await conn.execute(text("SELECT array_agg(x) FROM org_ids_for_project_code('P1') x"))).scalar()
        assert _run(code_owners, url) == [org.org_id]

        command.downgrade(cfg, BEFORE)
        _run(lambda e: add(e, "p1", "丁"), url)
    finally:
        drop_database(server_url, name)
