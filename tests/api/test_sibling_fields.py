"""One root field failing beside others, over a real HTTP server (uvicorn on loopback): the
answer is JSON with a coded error for the failing field, never a 500, and the keep-alive
connection stays in use. The failures are of every kind the executor meets: refused before the
field starts (permission), an argument refused inside the resolver, and a refusal after the
resolver has read the database — while its siblings read the same transaction."""

from __future__ import annotations

import asyncio
import random

import httpx

from api.graphql.types.node import to_global_id
from tests.api.test_inbound_loopback import live  # noqa: F401 - the server fixture
from tests.conftest import add_user

FINE = ("viewer { kind user { username } }", "organization { slug }", "projects { totalCount edges { node { name } } }",
        "cases(first: 5) { totalCount }", "alerts { id }", "viewer { roles { role } }",
        "viewer { user { displayName } }")  # three viewers: fields that share one dataloader future


def failing(other_project: str, project: str) -> list[tuple[str, str]]:
    return [("deliveryChannels { id }", "FORBIDDEN"),
            ("sharedLessons(first: 0) { __typename }", "VALIDATION"),
            (f'kpiBreakdown(by: KIND, projectId: "{other_project}") {{ key }}', "NOT_FOUND"),
            (f'caseTimeline(caseId: "{project}") {{ __typename }}', "VALIDATION")]


def document(rng: random.Random, bad: tuple[str, str] | None) -> str:
    fields = [f"f{i}: {f}" for i, f in enumerate(rng.sample(FINE, 5))]
    if bad is not None:
        fields.insert(rng.randrange(len(fields) + 1), "bad: " + bad[0])
    return "{ " + " ".join(fields) + " }"


def local_port(r: httpx.Response) -> int:
    return r.extensions["network_stream"].get_extra_info("client_addr")[1]


async def test_a_failing_root_field_among_many_answers_json_under_concurrency(owner_engine, org, other_org, gql, live):  # noqa: F811
    await add_user(owner_engine, org, "hq", "hq_supervisor", None)
    token = await gql.login(org, "hq")
    bad = failing(to_global_id("Project", other_org.projects["P1"]), to_global_id("Project", org.projects["P1"]))
    rng = random.Random(13)
    headers = {"authorization": f"Bearer {token}"}

    async def one_connection(n: int) -> None:
        # One connection per client: every answer must leave it usable for the next request.
        async with httpx.AsyncClient(base_url=live.base_url, timeout=30, limits=httpx.Limits(max_connections=1)) as c:
            ports = set()
            for _ in range(n):
                pick = rng.choice([*bad, None])
                r = await c.post("/graphql", json={"query": document(rng, pick)}, headers=headers)
                assert r.status_code == 200 and r.headers["content-type"] == "application/json", r.text
                body = r.json()
                if pick is None:
                    assert "errors" not in body, body
                    assert all(v is not None for v in body["data"].values())
                else:
                    assert body["data"] is None, body
                    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [(["bad"], pick[1])], body
                ports.add(local_port(r))
            assert len(ports) == 1

    await asyncio.gather(*(one_connection(8) for _ in range(6)))


async def test_a_batch_answers_each_operation_when_one_fails(owner_engine, org, gql, live):  # noqa: F811
    await add_user(owner_engine, org, "hq", "hq_supervisor", None)
    token = await gql.login(org, "hq")
    batch = [{"query": "{ viewer { kind } }"},
             {"query": "{ viewer { kind } deliveryChannels { id } organization { slug } }"},
             {"query": "query A { viewer { kind } }", "operationName": "B"},
             {"query": "{ organization { slug } }"}]
    r = await live.post("/graphql", json=batch, headers={"authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    first, mixed, unnamed, last = r.json()
    assert first == {"data": {"viewer": {"kind": "USER"}}}
    assert mixed["data"] is None and [e["extensions"]["code"] for e in mixed["errors"]] == ["FORBIDDEN"]
    assert unnamed["data"] is None and unnamed["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert "B" in unnamed["errors"][0]["message"]
    assert last == {"data": {"organization": {"slug": org.slug}}}

