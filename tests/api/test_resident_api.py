"""The owner-app API (docs/resident-services.md §2, §9.1; docs/owner-app.md): the exchange of an
integrator's key for resident tokens, what a resident reads of themselves, their case calls, and
the per-resident limits. Every resident call here runs as the database's resident role."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.api._resident import NEIGHBOUR_PHONE, PHONE, REGISTER, change, make_company, register, resolve_as_staff, sign_in, token_for

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
    viewer = await gql("{ viewer { kind user { id } permissions allProjects projectPermissions { project { id } permissions } } }",
                       token=token)
    assert viewer["data"]["viewer"] == {"kind": "RESIDENT", "user": None, "permissions": [], "allProjects": False,
                                        "projectPermissions": [{"project": {"id": to_global_id("Project", company.org.projects["P1"])},
                                                                "permissions": ["RESIDENT_SELF"]}]}
    for query in ("{ organization { id } }", "{ cases { totalCount } }", "{ projects { totalCount } }",
                  "{ caseCategories { code } }"):
        body = await gql(query, token=token)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", (query, body)
    for kind, name in (("Unit", "301"), ("Resident", "zhang")):  # even their own, through the staff types
        body = await gql("query($i: ID!) { node(id: $i) { id } }", {"i": company.gid(kind, name)}, token=token)
        assert body["data"]["node"] is None, body
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


# -- the case calls --------------------------------------------------------------------------------


async def test_register_a_case_for_the_flat_the_key_is_its_first_receiver(gql, company, owner_engine):
    token = await token_for(gql, company)
    out = await register(gql, token, company.gid("Unit", "301"), photos=["https://cdn.example.com/1.jpg"])
    assert out["errors"] == []
    case = out["case"]
    assert case["state"] == "RECEIVED" and case["unit"]["id"] == company.gid("Unit", "301") and case["canCancel"] is True
    assert [s["stage"] for s in case["progress"]] == ["received"]
    async with owner_engine.connect() as conn:
        row = (await conn.execute(text(
            "SELECT c.channel, c.severity, c.reporter_resident_id, c.first_receiver_id, a.actor FROM cases c "
            "JOIN audit_log a ON a.org_id = c.org_id AND a.entity_id = c.id AND a.action = 'case.received' WHERE c.org_id = :o"),
            {"o": company.org.org_id})).one()
        key_id = (await conn.execute(text("SELECT id FROM api_keys WHERE org_id = :o AND name = '业主App'"),
                                     {"o": company.org.org_id})).scalar()
    assert row.channel == "app" and row.severity == "general" and row.reporter_resident_id == company.residents["zhang"]
    assert row.first_receiver_id == key_id and row.actor == f"resident:{company.residents['zhang']}"
    # Staff see it in their queue like any other case.
    admin = await gql.login(company.org)
    staff = await gql("query($c: ID!) { case(id: $c) { number firstReceiver { kind displayName } } "
                      "caseTimeline(caseId: $c) { action actedBy { kind id displayName } } }", {"c": case["id"]}, token=admin)
    assert staff["data"]["case"]["number"] == case["number"]
    assert staff["data"]["case"]["firstReceiver"] == {"kind": "API_KEY", "displayName": "业主App"}
    # The timeline says who asked: the resident, by name.
    assert staff["data"]["caseTimeline"][0]["actedBy"] == {"kind": "RESIDENT", "id": company.gid("Resident", "zhang"),
                                                         "displayName": "张三"}
    listed = await gql(SELF, token=token)
    assert listed["data"]["residentSelf"]["cases"]["edges"][0]["node"]["id"] == case["id"]


async def test_register_for_a_public_area_and_refusals(gql, company):
    token = await token_for(gql, company)
    public = await register(gql, token, None, publicArea="3号楼电梯厅", kind="COMPLAINT", category="public_area")
    assert public["errors"] == [] and public["case"]["unit"] is None
    assert (await register(gql, token, None, kind="REPORT"))["errors"][0]["field"] == "kind"
    assert (await register(gql, token, None, description=" "))["errors"][0]["field"] == "description"


async def test_idempotent_registration(gql, company):
    token = await token_for(gql, company)
    body = {"i": {"kind": "REPAIR", "category": "water_power", "description": "漏水", "unitId": company.gid("Unit", "301")},
            "k": "app-req-1"}
    first = await gql(REGISTER, body, token=token)
    again = await gql(REGISTER, body, token=token)
    assert first["data"]["residentRegisterCase"]["case"]["id"] == again["data"]["residentRegisterCase"]["case"]["id"]


async def test_confirm_then_rate_closes_the_case_as_the_residents_return_visit(gql, company, owner_engine):
    token = await token_for(gql, company)
    case_id = (await register(gql, token, company.gid("Unit", "301")))["case"]["id"]
    admin = await gql.login(company.org)
    await resolve_as_staff(gql, admin, to_global_id("User", company.org.admin_id), case_id)
    me = await gql("query($c: ID!) { residentSelf { case(id: $c) { canConfirm canReject canRate progress { stage message } } } }",
                   {"c": case_id}, token=token)
    seen = me["data"]["residentSelf"]["case"]
    assert seen["canConfirm"] and seen["canReject"] and not seen["canRate"]
    assert seen["progress"][-1]["stage"] == "resolved" and "已更换水管" in seen["progress"][-1]["message"]
    confirmed = (await gql(change("residentConfirmCase"), {"c": case_id}, token=token))["data"]["residentConfirmCase"]
    assert confirmed["errors"] == [] and confirmed["case"]["state"] == "CONFIRMED" and confirmed["case"]["canRate"]
    rated = await gql(change("residentRateCase", satisfaction="Satisfaction!", score="Int!"),
                      {"c": case_id, "satisfaction": "SATISFIED", "score": 5}, token=token)
    rated = rated["data"]["residentRateCase"]
    assert rated["errors"] == [] and rated["case"]["state"] == "CLOSED"
    assert rated["case"]["rating"] == {"satisfaction": "SATISFIED", "score": 5}
    async with owner_engine.connect() as conn:
        row = (await conn.execute(text("SELECT visit_channel, visited_by FROM cases WHERE org_id = :o"),
                                  {"o": company.org.org_id})).one()
    assert tuple(row) == ("resident", company.residents["zhang"])


async def test_reject_reopens_and_a_dissatisfied_rating_escalates(gql, company):
    token = await token_for(gql, company)
    case_id = (await register(gql, token, company.gid("Unit", "301")))["case"]["id"]
    admin = await gql.login(company.org)
    await resolve_as_staff(gql, admin, to_global_id("User", company.org.admin_id), case_id)
    early = await gql(change("residentRateCase", satisfaction="Satisfaction!", score="Int!"),
                      {"c": case_id, "satisfaction": "SATISFIED", "score": 5}, token=token)
    assert early["data"]["residentRateCase"]["errors"][0]["code"] == "INVALID_STATE"
    rejected = await gql(change("residentRejectCase", reason="String!"), {"c": case_id, "reason": "还在滴水"}, token=token)
    assert rejected["data"]["residentRejectCase"]["case"]["state"] == "REOPENED"
    # Done again, confirmed, and rated dissatisfied: rework a level up, with its escalation.
    await resolve_again(gql, admin, to_global_id("User", company.org.admin_id), case_id)
    await gql(change("residentConfirmCase"), {"c": case_id}, token=token)
    rated = await gql(change("residentRateCase", satisfaction="Satisfaction!", score="Int!"),
                      {"c": case_id, "satisfaction": "DISSATISFIED", "score": 1}, token=token)
    assert rated["data"]["residentRateCase"]["errors"] == [] and rated["data"]["residentRateCase"]["case"]["state"] == "REOPENED"
    staff = await gql("query($c: ID!) { case(id: $c) { reworkLevel } }", {"c": case_id}, token=admin)
    assert staff["data"]["case"]["reworkLevel"] == 2


async def resolve_again(gql, staff: str, staff_id: str, case_id: str) -> None:
    for query in ("mutation($c: ID!, $a: ID) { dispatchCase(caseId: $c, assigneeId: $a) { errors { code message } } }",
                  "mutation($c: ID!) { acceptCase(caseId: $c) { errors { code message } } }",
                  "mutation($c: ID!) { startCase(caseId: $c) { errors { code message } } }",
                  'mutation($c: ID!) { resolveCase(caseId: $c, result: "重新处理") { errors { code message } } }'):
        body = await gql(query, {"c": case_id, "a": staff_id} if "$a" in query else {"c": case_id}, token=staff)
        assert not any(v["errors"] for v in body["data"].values()), (query, body)


async def test_rating_can_be_turned_off_by_the_project(gql, company, owner_engine):
    token = await token_for(gql, company)
    case_id = (await register(gql, token, company.gid("Unit", "301")))["case"]["id"]
    admin = await gql.login(company.org)
    await resolve_as_staff(gql, admin, to_global_id("User", company.org.admin_id), case_id)
    await gql(change("residentConfirmCase"), {"c": case_id}, token=token)
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE projects SET resident_rating = false WHERE org_id = :o"), {"o": company.org.org_id})
    out = (await gql(change("residentRateCase", satisfaction="Satisfaction!", score="Int!"),
                     {"c": case_id, "satisfaction": "SATISFIED", "score": 4}, token=token))["data"]["residentRateCase"]
    assert out["errors"][0]["reason"] == "RESIDENT_RATING_OFF"


async def test_cancel_withdraws_before_the_work_and_not_after(gql, company):
    token = await token_for(gql, company)
    case_id = (await register(gql, token, company.gid("Unit", "301")))["case"]["id"]
    out = (await gql(change("residentCancelCase", reason="String!"), {"c": case_id, "reason": "自己修好了"},
                     token=token))["data"]["residentCancelCase"]
    assert out["errors"] == [] and out["case"]["state"] == "CANCELLED"
    progress = await gql("query($c: ID!) { residentSelf { case(id: $c) { progress { message } } } }", {"c": case_id}, token=token)
    assert progress["data"]["residentSelf"]["case"]["progress"][-1]["message"] == "您已撤回此诉求。"
    other = (await register(gql, token, company.gid("Unit", "301")))["case"]["id"]
    admin = await gql.login(company.org)
    await resolve_as_staff(gql, admin, to_global_id("User", company.org.admin_id), other)
    late = (await gql(change("residentCancelCase", reason="String!"), {"c": other, "reason": "算了"},
                      token=token))["data"]["residentCancelCase"]
    assert late["errors"][0]["code"] == "INVALID_STATE"


# -- limits ----------------------------------------------------------------------------------------


async def test_five_cases_a_day_per_resident(gql, company):
    token = await token_for(gql, company)
    for _ in range(5):
        assert (await register(gql, token, company.gid("Unit", "301")))["errors"] == []
    sixth = await register(gql, token, company.gid("Unit", "301"))
    assert sixth["errors"][0]["code"] == "RATE_LIMITED" and sixth["errors"][0]["retryAfter"] > 0
    # Another resident of the same flat's household is counted on their own.
    neighbour = await token_for(gql, company, NEIGHBOUR_PHONE)
    assert (await register(gql, neighbour, company.gid("Unit", "302")))["errors"] == []


async def test_mutations_and_requests_are_limited_per_resident(gql, company, owner_engine):
    token = await token_for(gql, company)
    case_id = (await register(gql, token, company.gid("Unit", "301")))["case"]["id"]
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE resident_quota SET used = 60 WHERE resident_id = :r AND bucket = 'mutation'"),
                           {"r": company.residents["zhang"]})
    out = (await gql(change("residentCancelCase", reason="String!"), {"c": case_id, "reason": "不用了"},
                     token=token))["data"]["residentCancelCase"]
    assert out["errors"][0]["code"] == "RATE_LIMITED"
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE resident_quota SET used = 300 WHERE resident_id = :r AND bucket = 'request'"),
                           {"r": company.residents["zhang"]})
    body = await gql("{ residentSelf { resident { id } } }", token=token)
    assert body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    # Another resident is not held up.
    neighbour = await token_for(gql, company, NEIGHBOUR_PHONE)
    assert "errors" not in await gql("{ residentSelf { resident { id } } }", token=neighbour)


async def _statements_as_resident(platform, company, query: str) -> int:
    from api.context import Context
    from api.graphql.schema import schema
    from tenants.principal import Principal
    from tenants.roles import Permission

    resident = Principal("resident", company.residents["zhang"], company.org.org_id,
                         key_projects=frozenset({company.org.projects["P1"]}),
                         key_permissions=frozenset({Permission.RESIDENT_SELF}))
    context = Context(platform=platform, request=None, principal=resident)
    try:
        result = await schema.execute(query, context_value=context)
    finally:
        await context.db.close()
    assert result.errors is None, result.errors
    return context.db.statements


async def test_a_page_of_cases_with_progress_costs_the_same_statements_for_two_or_five(gql, company, platform):
    token = await token_for(gql, company)
    query = "{ residentSelf { cases(first: 20) { edges { node { number unit { label } progress { stage } } } } } }"
    for _ in range(2):
        await register(gql, token, company.gid("Unit", "301"))
    two = await _statements_as_resident(platform, company, query)
    for _ in range(3):
        await register(gql, token, company.gid("Unit", "301"))
    assert await _statements_as_resident(platform, company, query) == two
