"""Fixtures of the API tests about cases: a project desk with a unit and its people."""

from __future__ import annotations


import pytest
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from api.request_db import RequestDb
from tenants.context import TenantScope
from tests.conftest import add_unit, add_user

CASE_FIELDS = ("case { id number state stateLabel commitmentDue brokenPromises reworkLevel assignee { username } category { name } } "
               "errors { code field message }")


@pytest.fixture(autouse=True)
async def fresh_guess_limits(owner_engine):
    """Every test's requests come from the one test-client address, and the limits on failed
    sign-ins and API keys count per address across the session's database: without a clean slate,
    one test's deliberate failures would rate-limit the next test's."""
    async with owner_engine.begin() as conn:
        await conn.execute(text("DELETE FROM auth_throttle"))


REGISTER = "mutation($i: RegisterCaseInput!, $k: String) { registerCase(input: $i, idempotencyKey: $k) { %s } }" % CASE_FIELDS


@pytest.fixture
async def desk(owner_engine, org, gql):
    """Project P1 with unit 304 and its people: an agent, a supervisor and a technician."""
    unit, _ = await add_unit(owner_engine, org, "P1")
    people = {}
    for username, role in (("agent", "cs_agent"), ("sup", "cs_supervisor"), ("tech", "technician")):
        user_id = await add_user(owner_engine, org, username, role, "P1")
        people[username] = (to_global_id("User", user_id), await gql.login(org, username))
    return {"unit": to_global_id("Unit", unit), "project": to_global_id("Project", org.projects["P1"]), **people}


def case_input(desk, **over):
    base = {"projectId": desk["project"], "kind": "REQUEST", "channel": "PHONE", "category": "public_area",
            "unitId": desk["unit"], "description": "12:40 来电：请派人把十块瓷砖从304搬到隔壁展厅"}
    return {**base, **over}


async def statements_of(platform, org, query: str) -> int:
    """SQL statements one query costs as the company's admin, through the schema itself."""
    from api.context import Context
    from api.graphql.schema import schema
    from tenants.principal import Grant, Principal
    from tenants.roles import Role

    context = Context(platform=platform, request=None, principal=Principal("user", org.admin_id, org.org_id,
                                                                           (Grant(Role.ORG_ADMIN, None),)))
    try:
        result = await schema.execute(query, context_value=context)
    finally:
        await context.db.close()
    assert result.errors is None, result.errors
    return context.db.statements


async def read_as(platform, org, read):
    """`read` on a request's read transaction of the company `org` (all its projects): what a read
    model answers that company for ids it is given, past the API's own checks of reach."""
    db = RequestDb(platform, TenantScope(org.org_id, None, "test"))
    try:
        return await read(db)
    finally:
        await db.close()
