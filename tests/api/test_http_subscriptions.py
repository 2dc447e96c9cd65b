"""A subscription sent over HTTP is the client's mistake: a coded BAD_REQUEST that says where
subscriptions live, never INTERNAL — alone or inside a batch, whose other operations still run."""

from __future__ import annotations

SUBSCRIBE = "subscription { alerts { topic } }"


async def test_a_subscription_over_http_is_refused_with_where_to_go(client, gql, org):
    token = await gql.login(org)
    headers = {"Authorization": f"Bearer {token}"}
    alone = (await client.post("/graphql", json={"query": SUBSCRIBE}, headers=headers)).json()
    assert alone["data"] is None
    assert [e["extensions"]["code"] for e in alone["errors"]] == ["BAD_REQUEST"]
    assert "websocket" in alone["errors"][0]["message"]

    named = {"query": "query V { viewer { kind } } subscription S { alerts { topic } }", "operationName": "V"}
    batch = [{"query": SUBSCRIBE}, {"query": "{ viewer { kind } }"}, named]
    first, second, third = (await client.post("/graphql", json=batch, headers=headers)).json()
    assert [e["extensions"]["code"] for e in first["errors"]] == ["BAD_REQUEST"]
    assert second == {"data": {"viewer": {"kind": "USER"}}}
    assert third == {"data": {"viewer": {"kind": "USER"}}}
