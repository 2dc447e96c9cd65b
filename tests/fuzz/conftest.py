"""The fuzzing tests' running server and companies, made once per session: company A, whose three
callers send the generated operations, and company B, whose rows they must never reach."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from api.graphql.schema import schema as graphql_schema
from tests.fuzz.pool import Pool, harvest, from_tables
from tests.fuzz.world import Caller, Company, LiveServer, api_key, foreign_hits, login, seed_company, tenant_tables

REGISTER = ("mutation($i: RegisterCaseInput!, $k: String) { registerCase(input: $i, idempotencyKey: $k) "
            "{ case { id } errors { code } } }")


@dataclass
class World:
    server: LiveServer
    a: Company
    b: Company

    def callers(self) -> dict[str, Caller]:
        url, slug = self.server.url, self.a.slug
        admin = login(url, slug, "admin")
        p1 = [to_global_id("Project", self.a.projects["P1"])]
        return {
            "org_admin": Caller("org_admin", url, lambda: login(url, slug, "admin")),
            # A project-scoped role: the customer-service agent of P1 only.
            "project_agent": Caller("project_agent", url, lambda: login(url, slug, "agent.p1")),
            # An integrator's read-write key, scoped to P1.
            "api_key": Caller("api_key", url, lambda: api_key(url, admin, p1)),
        }


@pytest.fixture(scope="session")
def live_server(settings, db_urls) -> Iterator[LiveServer]:
    server = LiveServer(settings, db_urls).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
async def world(live_server, owner_engine, settings) -> World:
    a = await seed_company(owner_engine, settings)
    b = await seed_company(owner_engine, settings)
    return World(live_server, a, b)


@pytest.fixture(scope="session")
async def b_pool(world, platform, owner_engine) -> Pool:
    """Company B's handles: B's own idempotency keys (three cases registered with keys), the ids
    of its tenant tables' rows read as B, and the ids and cursors of B's own answers."""
    b, url = world.b, world.server.url
    b_admin = Caller("b_admin", url, lambda: login(url, b.slug, "admin"))
    async with owner_engine.connect() as conn:
        unit = (await conn.execute(text("SELECT id FROM units WHERE org_id = :o AND project_id = :p LIMIT 1"),
                                   {"o": b.org_id, "p": b.projects["P1"]})).scalar_one()
    for n in range(3):
        body = b_admin.post(REGISTER, {"k": f"b-key-{n}", "i": case_input(b, unit, n)}).json()
        assert body["data"]["registerCase"]["errors"] == [], body
    schema = graphql_schema._schema
    pool = await from_tables(platform, owner_engine, await tenant_tables(owner_engine), schema, b.org_id)
    assert harvest(b_admin, schema, pool) > 20
    assert len(pool.keys) >= 3 and pool.cursors and len(pool.global_ids) > 100
    # The handles are real: B itself is answered with its rows for them, and the check sees them.
    sample = sorted(pool.global_ids)[:25]
    query = "query(%s) { %s }" % (", ".join(f"$i{n}: ID!" for n in range(len(sample))),
                                  " ".join(f"n{n}: node(id: $i{n}) {{ id }}" for n in range(len(sample))))
    assert foreign_hits(b_admin.post(query, {f"i{n}": v for n, v in enumerate(sample)}), pool.uuids, "")
    return pool


def case_input(company: Company, unit, n: int) -> dict:
    return {"projectId": to_global_id("Project", company.projects["P1"]), "kind": "REQUEST", "channel": "PHONE",
            "category": "public_area", "unitId": to_global_id("Unit", unit), "description": f"公共区域灯不亮 {n}"}


@pytest.fixture(autouse=True)
async def fresh_guess_limits(owner_engine):
    """Generated sign-ins fail by the hundred from one address; each test starts with a clean slate."""
    async with owner_engine.begin() as conn:
        await conn.execute(text("DELETE FROM auth_throttle"))
