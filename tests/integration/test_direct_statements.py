"""Statements past SQLAlchemy (tenants/direct.py): the values SQLAlchemy would give, its errors
(so the unit of work codes them alike), the caller's transaction and tenant wall."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from domain.errors import DomainError, ErrorCode
from domain.unit_of_work import UnitOfWork
from tenants import direct
from tenants.context import TenantScope
from tenants.db_errors import sqlstate

VALUES = text("SELECT CAST(:id AS uuid) AS id, CAST(:tags AS text[]) AS tags, CAST(:data AS jsonb) AS data, "
              "CAST(:at AS timestamptz) AS at, :n + 1 AS n, CAST(:none AS text) AS none, :id = :id AS same")


async def test_a_row_reads_as_sqlalchemy_reads_it(platform, org):
    params = {"id": uuid.uuid4(), "tags": ["一", "b"], "data": '{"a": [1, "二"]}', "at": datetime(2026, 1, 2, 3, 4, tzinfo=UTC),
              "n": 41, "none": None}
    async with platform.transaction(TenantScope(org.org_id)) as conn:
        assert direct._driver(conn) is not None  # the application's connection: straight to the driver
        expected = (await conn.execute(VALUES, params)).one()._mapping
        row = await direct.first(conn, VALUES, params)
        assert dict(row) == dict(expected)
        assert dict(row) == {"id": params["id"], "tags": ["一", "b"], "data": {"a": [1, "二"]}, "at": params["at"], "n": 42,
                             "none": None, "same": True}
        assert [dict(r) for r in await direct.rows(conn, VALUES, params)] == [dict(expected)]
        assert await direct.scalar(conn, VALUES, params) == params["id"]
        assert await direct.first(conn, text("SELECT 1 WHERE false"), {}) is None


async def test_a_refusal_is_sqlalchemys_error_and_the_unit_of_work_codes_it(platform, org):
    async with platform.transaction(TenantScope(org.org_id)) as conn:
        with pytest.raises(DBAPIError) as e:
            await direct.scalar(conn, text("SELECT 1 / :zero"), {"zero": 0})
        assert sqlstate(e.value) == "22012"
    claim = text("INSERT INTO idempotency_keys (org_id, principal, key, operation, request_hash) "
                 "VALUES (:o, 'user:direct', 'k', 'op', '\\x00')")
    with pytest.raises(DomainError) as refused:
        async with UnitOfWork(platform, org_id=org.org_id, actor="test", scope=TenantScope(org.org_id)) as uow:
            await direct.run(uow.conn, claim, {"o": org.org_id})
            await direct.run(uow.conn, claim, {"o": org.org_id})  # the same key again: unique
    assert refused.value.code is ErrorCode.CONFLICT


async def test_on_a_connection_sqlalchemy_begins_the_statement_stays_in_its_transaction(owner_engine):
    """The owner's engine lets SQLAlchemy begin each transaction at its first statement: a
    statement sent to the driver first would run outside it, so there it goes through SQLAlchemy."""
    async with owner_engine.connect() as conn:
        await conn.execute(text("CREATE TEMP TABLE direct_probe (x int)"))
        await conn.commit()
        transaction = await conn.begin()
        assert direct._driver(conn) is None
        await direct.run(conn, text("INSERT INTO direct_probe VALUES (:x)"), {"x": 1})
        assert [dict(r) for r in await direct.rows(conn, text("SELECT x FROM direct_probe"), {})] == [{"x": 1}]
        await transaction.rollback()
        assert (await conn.execute(text("SELECT count(*) FROM direct_probe"))).scalar() == 0


async def test_the_tenant_wall_holds_past_sqlalchemy(platform, org, other_org):
    # Both companies named: the wall, not the statement, keeps the other's rows out.
    projects = text("SELECT id FROM projects WHERE org_id = ANY(:orgs) ORDER BY id")
    both = {"orgs": [org.org_id, other_org.org_id]}
    async with platform.transaction(TenantScope(other_org.org_id)) as conn:
        seen = {r["id"] for r in await direct.rows(conn, projects, both)}
        assert seen == set(other_org.projects.values())
        assert await direct.first(conn, text("SELECT id FROM projects WHERE org_id = :o AND id = :p"),
                                  {"o": org.org_id, "p": org.projects["P1"]}) is None
    async with platform.transaction(TenantScope(org.org_id, frozenset({org.projects["P2"]}))) as conn:
        assert {r["id"] for r in await direct.rows(conn, projects, both)} == {org.projects["P2"]}
