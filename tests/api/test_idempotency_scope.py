"""Idempotency keys belong to one caller — a login or an API key — as Stripe's belong to one account."""

from __future__ import annotations

from tests.api.conftest import REGISTER, case_input


async def test_the_same_key_from_two_callers_makes_two_cases(gql, org, desk):
    admin = await gql.login(org)
    key = (await gql('mutation { createApiKey(input: {name: "CTI", access: READ_WRITE}) { secret } }', token=admin))
    api_key = key["data"]["createApiKey"]["secret"]
    first = await gql(REGISTER, {"i": case_input(desk), "k": "call-1"}, token=desk["agent"][1])
    again = await gql(REGISTER, {"i": case_input(desk), "k": "call-1"}, token=desk["agent"][1])
    other_login = await gql(REGISTER, {"i": case_input(desk), "k": "call-1"}, token=desk["sup"][1])
    integrator = await gql(REGISTER, {"i": case_input(desk), "k": "call-1"}, api_key=api_key)
    ids = [b["data"]["registerCase"]["case"]["id"] for b in (first, again, other_login, integrator)]
    assert ids[0] == ids[1], "the same caller's retry replays its first result"
    assert len({ids[0], ids[2], ids[3]}) == 3, "other callers' keys are their own"
