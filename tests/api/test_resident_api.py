"""The owner-app API (docs/resident-services.md §2, §9.1; docs/owner-app.md): the exchange of an
integrator's key for resident tokens, what a resident reads of themselves, their case calls, and
the per-resident limits. Every resident call here runs as the database's resident role."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.api._resident import NEIGHBOUR_PHONE, PHONE, make_company, sign_in, token_for

SELF = """{ residentSelf { resident { id name phoneMasked project { name } } units { unit { id label } role roleLabel since }
  cases { totalCount edges { node { id number state } } } } }"""


@pytest.fixture
async def company(owner_engine, gql, platform):
    return await make_company(owner_engine, gql, platform.cipher)


async def test_sign_in_by_phone_gives_one_session_per_resident_across_projects(gql, company, owner_engine):
    out = await sign_in(gql, company.key)
    assert out["errors"] == []
    sessions = out["sessions"]
    assert {s["resident"]["id"] for s in sessions} == {company.gid("Resident", "zhang"), company.gid("Resident", "zhang_p2")}
    first = next(s for s in sessions if s["resident"]["id"] == company.gid("Resident", "zhang"))
    assert first["resident"]["phoneMasked"] == "138****8000"
    assert first["units"] == [{"unit": {"id": company.gid("Unit", "301"), "label": first["units"][0]["unit"]["label"]},
                               "role": "OWNER", "roleLabel": "业主", "since": "2026-01-01"}]
    # Audited without the phone.
    async with owner_engine.connect() as conn:
        rows = (await conn.execute(text("SELECT actor, data FROM audit_log WHERE org_id = :o AND action = 'resident.signed_in'"),
                                   {"o": company.org.org_id})).all()
    assert len(rows) == 2 and all(PHONE not in str(r.data) and r.actor.startswith("api_key:") for r in rows)
    # projectId narrows to one.
    narrowed = await sign_in(gql, company.key, project=to_global_id("Project", company.org.projects["P2"]))
    assert [s["resident"]["id"] for s in narrowed["sessions"]] == [company.gid("Resident", "zhang_p2")]


async def test_sign_in_by_openid_after_binding(gql, company):
    wechat = {"wechatAppId": "wx1234567890abcdef", "openid": "oAbC-openid-1"}
    before = await sign_in(gql, company.key, phone=None, **wechat)
    assert before["errors"][0]["reason"] == "NO_RESIDENT"
    bound = await sign_in(gql, company.key, **wechat, channel="WECHAT")
    assert len(bound["sessions"]) == 2
    after = await sign_in(gql, company.key, phone=None, **wechat)
    assert {s["resident"]["id"] for s in after["sessions"]} == {s["resident"]["id"] for s in bound["sessions"]}
    # openids are compared exactly: another case is another person.
    other = await sign_in(gql, company.key, phone=None, wechatAppId=wechat["wechatAppId"], openid="OABC-OPENID-1")
    assert other["errors"][0]["code"] == "NOT_FOUND"


async def test_moved_out_and_erased_residents_cannot_sign_in(gql, company, owner_engine):
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE occupancies SET moved_out_on = '2026-02-01' WHERE resident_id = :r"),
                           {"r": company.residents["sun"]})
        await conn.execute(text("UPDATE residents SET erased_at = now() WHERE id = :r"), {"r": company.residents["zhang_p2"]})
    gone = await sign_in(gql, company.key, NEIGHBOUR_PHONE)
    assert gone["sessions"] == [] and gone["errors"][0]["code"] == "NOT_FOUND" and gone["errors"][0]["reason"] == "NO_RESIDENT"
    left = await sign_in(gql, company.key)
    assert [s["resident"]["id"] for s in left["sessions"]] == [company.gid("Resident", "zhang")]


async def test_a_user_and_a_key_without_the_grant_are_refused(gql, company):
    plain = await gql("mutation { residentSignIn(input: {phone: \"%s\"}) { errors { code } } }" % PHONE, api_key=company.plain_key)
    assert plain["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    admin = await gql.login(company.org)
    user = await sign_in_as_user(gql, admin)
    assert user["errors"][0]["code"] == "FORBIDDEN" and "API" in user["errors"][0]["message"]


async def sign_in_as_user(gql, token):
    body = await gql("mutation { residentSignIn(input: {phone: \"%s\"}) { sessions { token } errors { code message } } }" % PHONE,
                     token=token)
    return body["data"]["residentSignIn"]


async def test_bad_input_is_validation(gql, company):
    assert (await sign_in(gql, company.key, phone="12"))["errors"][0]["field"] == "phone"
    assert (await sign_in(gql, company.key, phone=None))["errors"][0]["code"] == "VALIDATION"
    assert (await sign_in(gql, company.key, phone=None, openid="o1"))["errors"][0]["field"] == "openid"


async def test_resident_self_shows_the_profile_flats_and_cases(gql, company):
    token = await token_for(gql, company)
    body = await gql(SELF, token=token)
    assert "errors" not in body, body
    me = body["data"]["residentSelf"]
    assert me["resident"] == {"id": company.gid("Resident", "zhang"), "name": "张三", "phoneMasked": "138****8000",
                              "project": {"name": "项目1"}}
    assert [u["unit"]["id"] for u in me["units"]] == [company.gid("Unit", "301")]
    assert me["cases"]["totalCount"] == 0


async def test_a_resident_token_is_no_staff_token(gql, company):
    token = await token_for(gql, company)
    for query in ("{ viewer { kind } }", "{ cases { totalCount } }", "{ projects { totalCount } }",
                  "{ node(id: \"%s\") { id } }" % company.gid("Unit", "301")):
        body = await gql(query, token=token)
        assert body.get("data") is None or not any(body["data"].values()), (query, body)
    staff = await gql("mutation { registerCase(input: {projectId: \"%s\", kind: REPAIR, channel: APP, category: \"water_power\", "
                      "description: \"漏水\"}) { errors { code } } }" % to_global_id("Project", company.org.projects["P1"]),
                      token=token)
    assert staff["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_staff_token_and_a_key_cannot_use_resident_calls(gql, company):
    admin = await gql.login(company.org)
    for creds in ({"token": admin}, {"api_key": company.key}):
        body = await gql("{ residentSelf { resident { id } } }", **creds)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body


async def test_an_expired_or_forged_resident_token_is_refused(gql, company, platform):
    from tenants.auth.tokens import TokenSigner
    forged, _ = TokenSigner(b"another-key", 15).issue_resident(company.residents["zhang"], company.org.org_id,
                                                               company.org.projects["P1"], company.residents["zhang"], "app")
    body = await gql("{ residentSelf { resident { id } } }", token=forged)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_moving_out_takes_effect_at_once(gql, company, owner_engine):
    token = await token_for(gql, company)
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE occupancies SET moved_out_on = :d WHERE resident_id = :r"),
                           {"d": date(2026, 6, 1), "r": company.residents["zhang"]})
    body = await gql("{ residentSelf { units { unit { id } } } }", token=token)
    assert body["data"]["residentSelf"]["units"] == []
