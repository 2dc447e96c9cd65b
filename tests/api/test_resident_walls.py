"""The resident's walls (docs/resident-services.md §2.3, §12): for every resident query and
mutation, another flat's ids in the same project, the resident's other project and another
company's ids are NOT_FOUND (or null) and nothing changes; an integrator's key signs in only its
own company's and projects' residents. Staff and resident tokens cannot use each other's calls."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.api._resident import NEIGHBOUR_PHONE, PHONE, change, make_company, register, resolve_as_staff, sign_in, token_for


@pytest.fixture
async def world(owner_engine, gql, platform):
    """Companies A and B alike; in A, 张三 (301, P1) and his neighbour 孙八 (302) each with a resolved
    case, 张三's P2 self with one; B's 张三 (same phone) with one."""
    a = await make_company(owner_engine, gql, platform.cipher)
    b = await make_company(owner_engine, gql, platform.cipher)
    cases = {}
    for name, company, phone, unit, project in (("mine", a, PHONE, "301", "P1"), ("neighbour", a, NEIGHBOUR_PHONE, "302", "P1"),
                                                ("other_project", a, PHONE, "101", "P2"), ("other_company", b, PHONE, "301", "P1")):
        token = await token_for(gql, company, phone, project)
        cases[name] = (await register(gql, token, company.gid("Unit", unit)))["case"]["id"]
        admin = await gql.login(company.org)
        await resolve_as_staff(gql, admin, to_global_id("User", company.org.admin_id), cases[name])
    return {"a": a, "b": b, "cases": cases, "token": await token_for(gql, a)}


async def _states(owner_engine) -> dict:
    async with owner_engine.connect() as conn:
        return {r.id: (r.state, r.visit_score) for r in await conn.execute(text("SELECT id, state, visit_score FROM cases"))}


MUTATIONS = [
    ("residentConfirmCase", {}),
    ("residentRejectCase", {"reason": ("String!", "没修好")}),
    ("residentRateCase", {"satisfaction": ("Satisfaction!", "SATISFIED"), "score": ("Int!", 5)}),
    ("residentCancelCase", {"reason": ("String!", "不要了")}),
]


@pytest.mark.parametrize(("mutation", "args"), MUTATIONS, ids=[m for m, _ in MUTATIONS])
@pytest.mark.parametrize("whose", ["neighbour", "other_project", "other_company"])
async def test_case_mutations_on_a_case_not_theirs_are_not_found_and_change_nothing(gql, world, owner_engine, mutation, args,
                                                                                    whose):
    before = await _states(owner_engine)
    body = await gql(change(mutation, **{k: t for k, (t, _) in args.items()}),
                     {"c": world["cases"][whose], **{k: v for k, (_, v) in args.items()}}, token=world["token"])
    out = body["data"][mutation]
    assert out["case"] is None and out["errors"][0]["code"] == "NOT_FOUND" and out["errors"][0]["field"] == "caseId"
    assert await _states(owner_engine) == before


async def test_the_same_mutations_work_on_their_own_case(gql, world):
    """The control: the refusals above are the wall's, not the state's."""
    body = await gql(change("residentConfirmCase"), {"c": world["cases"]["mine"]}, token=world["token"])
    assert body["data"]["residentConfirmCase"]["case"]["state"] == "CONFIRMED"


@pytest.mark.parametrize(("unit", "company"), [("302", "a"), ("101", "a"), ("301", "b")],
                         ids=["neighbours_flat", "other_project", "other_company"])
async def test_register_for_a_flat_not_theirs_is_not_found(gql, world, owner_engine, unit, company):
    before = await _states(owner_engine)
    out = await register(gql, world["token"], world[company].gid("Unit", unit))
    assert out["case"] is None and out["errors"][0]["code"] == "NOT_FOUND" and out["errors"][0]["field"] == "unitId"
    assert await _states(owner_engine) == before


@pytest.mark.parametrize("whose", ["neighbour", "other_project", "other_company"])
async def test_resident_self_case_of_another_is_null_and_not_listed(gql, world, whose):
    body = await gql("query($c: ID!) { residentSelf { case(id: $c) { id } cases { edges { node { id } } } } }",
                     {"c": world["cases"][whose]}, token=world["token"])
    me = body["data"]["residentSelf"]
    assert me["case"] is None
    assert [e["node"]["id"] for e in me["cases"]["edges"]] == [world["cases"]["mine"]]


async def test_a_key_signs_in_only_its_own_companys_residents(gql, world):
    a, b = world["a"], world["b"]
    out = await sign_in(gql, b.key)
    assert {s["resident"]["id"] for s in out["sessions"]} == {b.gid("Resident", "zhang"), b.gid("Resident", "zhang_p2")}
    other = await sign_in(gql, b.key, project=to_global_id("Project", a.org.projects["P1"]))
    assert other["sessions"] == [] and other["errors"][0]["code"] == "NOT_FOUND"


async def test_a_key_of_one_project_signs_in_only_that_projects_residents(gql, world):
    a = world["a"]
    admin = await gql.login(a.org)
    body = await gql("mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret errors { code } } }",
                     {"i": {"name": "P1 only", "access": "READ_WRITE", "permissions": ["RESIDENT_SIGN_IN"],
                            "projectIds": [to_global_id("Project", a.org.projects["P1"])]}}, token=admin)
    key = body["data"]["createApiKey"]["secret"]
    out = await sign_in(gql, key)
    assert [s["resident"]["id"] for s in out["sessions"]] == [a.gid("Resident", "zhang")]
    p2 = await sign_in(gql, key, project=to_global_id("Project", a.org.projects["P2"]))
    assert p2["errors"][0]["code"] == "NOT_FOUND"


async def test_a_resident_token_cannot_call_staff_mutations_on_its_own_case(gql, world, owner_engine):
    before = await _states(owner_engine)
    case = world["cases"]["mine"]
    for mutation in ("confirmCase(caseId: $c)", "cancelCase(caseId: $c, reason: \"x\")",
                     "returnVisit(caseId: $c, satisfaction: SATISFIED, score: 5)"):
        body = await gql("mutation($c: ID!) { %s { errors { code } } }" % mutation, {"c": case}, token=world["token"])
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", (mutation, body)
    assert await _states(owner_engine) == before


async def test_a_staff_token_cannot_call_resident_mutations(gql, world, owner_engine):
    before = await _states(owner_engine)
    admin = await gql.login(world["a"].org)
    for creds in ({"token": admin}, {"api_key": world["a"].key}):
        body = await gql(change("residentConfirmCase"), {"c": world["cases"]["mine"]}, **creds)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
        out = await gql("mutation { residentRegisterCase(input: {kind: REPAIR, category: \"water_power\", "
                        "description: \"漏水\"}) { errors { code } } }", **creds)
        assert out["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await _states(owner_engine) == before
