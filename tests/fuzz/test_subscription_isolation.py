"""Isolation of subscriptions: company A's callers subscribe over graphql-transport-ws to every
subscription root field that takes an ID, with company B's project ids (forged as well as real),
and the project-scoped callers with their other project's; then cases are registered in B (and in
A's P2), and finally in A's P1. Each refused subscription gets a coded error; the subscriptions
without a project see A's P1 case arrive, and no message holds a row of B's or of P2's."""

from __future__ import annotations

import json
import random
import uuid

import graphql
import pytest
from sqlalchemy import text
from websockets.sync.client import connect

from api.graphql.schema import schema as graphql_schema
from api.graphql.types.node import to_global_id
from tests.fuzz.conftest import REGISTER, case_input
from tests.fuzz.pool import from_tables
from tests.fuzz.world import Caller, EXAMPLES, foreign_hits, login, tenant_tables

SCHEMA = graphql_schema._schema
FIELDS = {"caseUpdates": "topic case { id number project { id } }", "alerts": "topic alert { id caseIds }"}


def subscription_fields_taking_ids() -> list[str]:
    root = SCHEMA.subscription_type
    assert root is not None
    return sorted(n for n, f in root.fields.items()
                  if any(graphql.get_named_type(a.type) == graphql.GraphQLID for a in f.args.values()))


async def _unit(owner_engine, company, project: str) -> uuid.UUID:
    async with owner_engine.connect() as conn:
        return (await conn.execute(text("SELECT id FROM units WHERE org_id = :o AND project_id = :p LIMIT 1"),
                                   {"o": company.org_id, "p": company.projects[project]})).scalar_one()


@pytest.mark.parametrize("caller_name", ["org_admin", "project_agent", "api_key"])
async def test_subscriptions_with_other_company_and_project_ids_get_nothing_of_theirs(world, b_pool, platform, owner_engine,
                                                                                         caller_name):
    fields = subscription_fields_taking_ids()
    assert set(fields) <= set(FIELDS), "a new subscription field: give it a selection here"
    caller = world.callers()[caller_name]
    a, b, url = world.a, world.b, world.server.url
    forbidden = set(b_pool.uuids)
    theirs = [to_global_id("Project", b.projects[c]) for c in ("P1", "P2")]
    if caller_name != "org_admin":
        p2 = await from_tables(platform, owner_engine, await tenant_tables(owner_engine), SCHEMA, a.org_id, a.projects["P2"])
        forbidden |= p2.uuids
        theirs.append(to_global_id("Project", a.projects["P2"]))
    rng = random.Random(caller_name)
    forged = [to_global_id("Project", uuid.UUID(u)) for u in rng.sample(sorted(b_pool.uuids), 2 * EXAMPLES)]
    refused = theirs + forged + rng.sample(sorted(b_pool.global_ids), EXAMPLES)

    headers = {"Authorization": caller.headers["authorization"]} if "authorization" in caller.headers else {}
    init = {} if headers else {"apiKey": caller.headers["x-api-key"]}
    with connect(f"ws://127.0.0.1:{world.server.port}/graphql", subprotocols=["graphql-transport-ws"],
                 additional_headers=headers, open_timeout=10) as ws:
        ws.send(json.dumps({"type": "connection_init", "payload": init}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        ops: dict[str, str | None] = {}
        messages: list[dict] = []
        errors: dict[str, list] = {}
        for name in fields:
            for n, project in enumerate([None, *refused][:20 // len(fields)]):
                op = f"{name}-{n}"
                ops[op] = project
                ws.send(json.dumps({"id": op, "type": "subscribe", "payload": {
                    "query": f"subscription($p: ID) {{ {name}(projectId: $p) {{ {FIELDS[name]} }} }}", "variables": {"p": project}}}))
                # One at a time: each refusal is awaited before the next subscription starts.
                while project is not None and op not in errors:
                    message = json.loads(ws.recv(timeout=20))
                    messages.append(message)
                    if message["type"] == "error":  # refused before it ran
                        errors[message["id"]] = message["payload"]
                    elif message["type"] == "next" and message["payload"].get("errors"):  # refused as it started
                        errors[message["id"]] = message["payload"]["errors"]
        # Their cases first, then ours: ours arriving means theirs had their chance.
        b_admin = Caller("b_admin", url, lambda: login(url, b.slug, "admin"))
        a_admin = Caller("a_admin", url, lambda: login(url, a.slug, "admin"))
        for company, who, project in ((b, b_admin, "P1"), (b, b_admin, "P2"), (a, a_admin, "P2"), (a, a_admin, "P1")):
            unit = await _unit(owner_engine, company, project)
            i = {**case_input(company, unit, 0), "projectId": to_global_id("Project", company.projects[project])}
            body = who.post(REGISTER, {"i": i}).json()
            assert body["data"]["registerCase"]["errors"] == [], body
            ours = body["data"]["registerCase"]["case"]["id"]
        while True:
            message = json.loads(ws.recv(timeout=20))
            messages.append(message)
            if message["type"] == "next" and ours in json.dumps(message) and message["id"] == "caseUpdates-0":
                break

    assert set(errors) == {op for op, project in ops.items() if project is not None}
    codes = {op: [e.get("extensions", {}).get("code") for e in payload] for op, payload in errors.items()}
    assert all(c and all(x in ("NOT_FOUND", "VALIDATION", "FORBIDDEN") for x in c) for c in codes.values()), codes
    raw = json.dumps(messages)
    hits = [m for m in messages if foreign_hits(_Body(m), forbidden, "")]
    assert hits == [], raw[:2000]


class _Body:
    """A websocket message, checked as an HTTP answer is."""

    def __init__(self, message: dict) -> None:
        self.message = message

    def json(self) -> dict:
        return self.message
