"""updateProject (docs/resident-services.md §2.4): a holder of project:update on the project turns
residents' own ratings off and on again — the owner app then refuses a rating — with an audit row
per change and the idempotency key replayed. Without the permission (a CS agent, a resident):
FORBIDDEN; a project out of reach (a project manager of P2) or another company's: NOT_FOUND;
nothing changed."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.api._resident import change, make_company, register, resolve_as_staff, token_for
from tests.conftest import add_user, make_org

UPDATE = """mutation($p: ID!, $on: Boolean, $k: String) { updateProject(projectId: $p, input: {residentRating: $on}, idempotencyKey: $k)
  { project { id residentRating } errors { code field reason } } }"""
RATE = change("residentRateCase", satisfaction="Satisfaction!", score="Int!")


@pytest.fixture
async def company(owner_engine, gql, platform):
    return await make_company(owner_engine, gql, platform.cipher)


async def _rating(owner_engine, company) -> dict:
    async with owner_engine.connect() as conn:
        return {r.code: r.resident_rating for r in await conn.execute(
            text("SELECT code, resident_rating FROM projects WHERE org_id = :o"), {"o": company.org.org_id})}


async def _audits(owner_engine, company) -> list:
    async with owner_engine.connect() as conn:
        return [tuple(r) for r in await conn.execute(text(
            "SELECT actor, data->>'on' FROM audit_log WHERE org_id = :o AND action = 'project.resident_rating_set' ORDER BY at"),
            {"o": company.org.org_id})]


async def test_a_project_manager_turns_resident_rating_off_and_on(gql, company, owner_engine):
    org = company.org
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    pm = await gql.login(org, "pm1")
    p1 = to_global_id("Project", org.projects["P1"])
    token = await token_for(gql, company)
    case_id = (await register(gql, token, company.gid("Unit", "301")))["case"]["id"]
    await resolve_as_staff(gql, await gql.login(org), to_global_id("User", org.admin_id), case_id)
    await gql(change("residentConfirmCase"), {"c": case_id}, token=token)

    for _ in range(2):  # the key replayed: one change, one audit row
        out = (await gql(UPDATE, {"p": p1, "on": False, "k": "off"}, token=pm))["data"]["updateProject"]
        assert out == {"project": {"id": p1, "residentRating": False}, "errors": []}
    assert set((await _rating(owner_engine, company)).values()) == {False, True}  # P2 untouched
    refused = (await gql(RATE, {"c": case_id, "satisfaction": "SATISFIED", "score": 4}, token=token))["data"]["residentRateCase"]
    assert refused["errors"][0]["reason"] == "RESIDENT_RATING_OFF"
    case = await gql("query($c: ID!) { residentSelf { case(id: $c) { canRate } } }", {"c": case_id}, token=token)
    assert case["data"]["residentSelf"]["case"]["canRate"] is False

    unchanged = (await gql(UPDATE, {"p": p1, "on": None}, token=pm))["data"]["updateProject"]
    assert unchanged["project"]["residentRating"] is False
    assert (await gql(UPDATE, {"p": p1, "on": True}, token=pm))["data"]["updateProject"]["project"]["residentRating"] is True
    rated = (await gql(RATE, {"c": case_id, "satisfaction": "SATISFIED", "score": 4}, token=token))["data"]["residentRateCase"]
    assert rated["errors"] == []
    assert await _audits(owner_engine, company) == [(f"user:{await _user_id(owner_engine, org, 'pm1')}", "false"),
                                                    (f"user:{await _user_id(owner_engine, org, 'pm1')}", "true")]


async def _user_id(owner_engine, org, username: str):
    async with owner_engine.connect() as conn:
        return (await conn.execute(text("SELECT id FROM users WHERE org_id = :o AND username = :u"),
                                   {"o": org.org_id, "u": username})).scalar_one()


async def test_without_the_permission_or_the_project_nothing_changes(gql, company, owner_engine):
    org = company.org
    await add_user(owner_engine, org, "agent1", "cs_agent", "P1")
    await add_user(owner_engine, org, "pm2", "project_manager", "P2")
    p1 = to_global_id("Project", org.projects["P1"])
    before = await _rating(owner_engine, company)

    agent = await gql(UPDATE, {"p": p1, "on": False}, token=await gql.login(org, "agent1"))
    assert agent["data"] is None and agent["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    pm2 = (await gql(UPDATE, {"p": p1, "on": False}, token=await gql.login(org, "pm2")))["data"]["updateProject"]
    assert pm2["project"] is None and (pm2["errors"][0]["code"], pm2["errors"][0]["field"]) == ("NOT_FOUND", "projectId")
    stranger = await make_org(owner_engine)
    theirs = (await gql(UPDATE, {"p": p1, "on": False}, token=await gql.login(stranger)))["data"]["updateProject"]
    assert theirs["project"] is None and (theirs["errors"][0]["code"], theirs["errors"][0]["field"]) == ("NOT_FOUND", "projectId")
    resident = await gql(UPDATE, {"p": p1, "on": False}, token=await token_for(gql, company))
    assert resident["data"] is None and resident["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await _rating(owner_engine, company) == before and await _audits(owner_engine, company) == []
