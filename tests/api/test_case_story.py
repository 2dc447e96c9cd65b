"""Cases through GraphQL: the story of DESIGN §3, idempotency, bad input and the tenant wall."""

from __future__ import annotations


from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.api.conftest import CASE_FIELDS, REGISTER, case_input
from tests.conftest import add_unit, add_user


async def act(gql, token, mutation: str, args: str, variables: dict) -> dict:
    body = await gql(f"mutation($c: ID!{args[0]}) {{ {mutation}(caseId: $c{args[1]}) {{ {CASE_FIELDS} }} }}", variables, token=token)
    assert "errors" not in body, body
    return body["data"][mutation]


async def test_the_tiles_of_room_304(gql, desk):
    agent, sup, tech = desk["agent"][1], desk["sup"][1], desk["tech"][1]
    created = (await gql(REGISTER, {"i": case_input(desk)}, token=agent))["data"]["registerCase"]
    assert created["errors"] == [] and created["case"]["state"] == "RECEIVED"
    assert created["case"]["number"].startswith("GD-P1-") and created["case"]["category"]["name"] == "公共区域"
    c = {"c": created["case"]["id"]}
    assert (await act(gql, agent, "commitCase", ("", ""), c))["case"]["state"] == "COMMITTED"

    # "We have nobody": the agent cannot make it go away.
    refused = await act(gql, agent, "cancelCase", (", $r: String!", ", reason: $r"), {**c, "r": "没有人手"})
    assert refused["errors"][0]["code"] == "FORBIDDEN"
    still = await act(gql, agent, "reportUndispatchable", (", $r: String!", ", reason: $r"), {**c, "r": "工程部都在外面"})
    assert still["errors"] == [] and still["case"]["state"] == "COMMITTED"

    # A decline needs a supervisor, and a written reply that offers alternatives.
    await act(gql, agent, "requestDecline", (", $r: String!", ", reason: $r"), {**c, "r": "搬运不在服务范围"})
    approve = "mutation($c: ID!, $r: WrittenReplyInput!) { approveDecline(caseId: $c, reply: $r) { %s } }" % CASE_FIELDS
    no_alternatives = {"reason": "不在服务范围", "basis": "物业服务合同第三条", "alternatives": []}
    body = await gql(approve, {**c, "r": no_alternatives}, token=agent)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await gql(approve, {**c, "r": no_alternatives}, token=sup)
    assert body["data"]["approveDecline"]["errors"][0] == {"code": "VALIDATION", "field": "alternatives",
                                                          "message": "书面答复须至少向住户提供一个替代方案。"
                                                                     "A written reply must offer the resident at least one alternative."}
    # The supervisor sends it back to be done, and it is done.
    back = await act(gql, sup, "denyDecline", (", $n: String!", ", note: $n"), {**c, "n": "小事，安排人手"})
    assert back["case"]["state"] == "COMMITTED"
    dispatched = await act(gql, agent, "dispatchCase", (", $a: ID", ", assigneeId: $a"), {**c, "a": desk["tech"][0]})
    assert dispatched["case"]["assignee"]["username"] == "tech"
    for mutation, token in (("acceptCase", tech), ("startCase", tech)):
        assert (await act(gql, token, mutation, ("", ""), c))["errors"] == []
    resolved = await act(gql, tech, "resolveCase", (", $r: String!", ", result: $r"), {**c, "r": "十块瓷砖已搬至展厅"})
    assert resolved["case"]["state"] == "RESOLVED"
    assert (await act(gql, agent, "confirmCase", ("", ""), c))["case"]["state"] == "CONFIRMED"
    visit = ("returnVisit", (", $s: Satisfaction!, $n: Int!", ", satisfaction: $s, score: $n"))
    by_tech = await gql("mutation($c: ID!) { returnVisit(caseId: $c, satisfaction: SATISFIED, score: 5) { errors { code } } }",
                        c, token=tech)
    assert by_tech["errors"][0]["extensions"]["code"] == "FORBIDDEN"  # technicians do not visit back at all
    closed = await act(gql, agent, *visit, {**c, "s": "SATISFIED", "n": 5})
    assert closed["case"]["state"] == "CLOSED" and closed["case"]["stateLabel"] == "已关闭 Closed"


async def test_the_handler_cannot_make_the_return_visit(gql, desk):
    agent, sup = desk["agent"][1], desk["sup"][1]
    case_id = (await gql(REGISTER, {"i": case_input(desk)}, token=agent))["data"]["registerCase"]["case"]["id"]
    c = {"c": case_id}
    await act(gql, agent, "commitCase", ("", ""), c)
    await act(gql, agent, "dispatchCase", (", $a: ID", ", assigneeId: $a"), {**c, "a": desk["sup"][0]})
    for mutation in ("acceptCase", "startCase"):
        await act(gql, sup, mutation, ("", ""), c)
    await act(gql, sup, "resolveCase", (", $r: String!", ", result: $r"), {**c, "r": "主管亲自搬完"})
    await act(gql, agent, "confirmCase", ("", ""), c)
    visit = ("returnVisit", (", $s: Satisfaction!, $n: Int!", ", satisfaction: $s, score: $n"))
    assert (await act(gql, sup, *visit, {**c, "s": "SATISFIED", "n": 5}))["errors"][0]["code"] == "FORBIDDEN"
    rework = await act(gql, agent, *visit, {**c, "s": "DISSATISFIED", "n": 1})
    assert rework["case"]["state"] == "REOPENED" and rework["case"]["reworkLevel"] == 2


async def test_idempotent_registration(gql, desk, owner_engine, org):
    agent = desk["agent"][1]
    first = (await gql(REGISTER, {"i": case_input(desk), "k": "cti-call-7781"}, token=agent))["data"]["registerCase"]
    again = (await gql(REGISTER, {"i": case_input(desk), "k": "cti-call-7781"}, token=agent))["data"]["registerCase"]
    assert first["case"]["id"] == again["case"]["id"] and first["case"]["number"] == again["case"]["number"]
    other_input = {"i": case_input(desk, description="另一件事"), "k": "cti-call-7781"}
    other = (await gql(REGISTER, other_input, token=agent))["data"]["registerCase"]
    assert other["case"] is None and other["errors"][0]["code"] == "CONFLICT" and other["errors"][0]["field"] == "idempotencyKey"
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM cases WHERE org_id = :o"), {"o": org.org_id})).scalar() == 1
    # Keys belong to the caller: another person's same key is a different key.
    sup = desk["sup"][1]
    theirs = (await gql(REGISTER, {"i": case_input(desk), "k": "cti-call-7781"}, token=sup))["data"]["registerCase"]
    assert theirs["case"]["id"] != first["case"]["id"]
    # Transitions too: the second commit with the same key replays instead of failing on the state.
    c = {"c": first["case"]["id"]}
    q = "mutation($c: ID!) { commitCase(caseId: $c, idempotencyKey: \"commit-1\") { case { state } errors { code } } }"
    assert (await gql(q, c, token=agent))["data"]["commitCase"] == {"case": {"state": "COMMITTED"}, "errors": []}
    assert (await gql(q, c, token=agent))["data"]["commitCase"] == {"case": {"state": "COMMITTED"}, "errors": []}


async def test_bad_case_input_is_refused_and_nothing_is_written(gql, desk, owner_engine, org):
    agent = desk["agent"][1]
    p2_unit, _ = await add_unit(owner_engine, org, "P2", "1")
    cases = {
        "category": (case_input(desk, category="no_such_category"), "NOT_FOUND"),
        "unitId": (case_input(desk, unitId=to_global_id("Unit", p2_unit)), "NOT_FOUND"),
        "description": (case_input(desk, description="长" * 5001), "VALIDATION"),
        "photos": (case_input(desk, photos=["p"] * 21), "VALIDATION"),
    }
    for field, (data, code) in cases.items():
        body = (await gql(REGISTER, {"i": data}, token=agent))["data"]["registerCase"]
        assert (body["errors"][0]["code"], body["errors"][0]["field"]) == (code, field), body
    megabyte = (await gql(REGISTER, {"i": case_input(desk, description="x" * 1_000_000)}, token=agent))["data"]["registerCase"]
    assert megabyte["errors"][0]["code"] == "VALIDATION"
    body = await gql(REGISTER, {"i": case_input(desk, kind="NOT_A_KIND")}, token=agent)
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM cases WHERE org_id = :o"), {"o": org.org_id})).scalar() == 0
        assert (await conn.execute(text("SELECT count(*) FROM outbox WHERE org_id = :o AND topic LIKE 'case.%'"),
                                   {"o": org.org_id})).scalar() == 0
    created = (await gql(REGISTER, {"i": case_input(desk)}, token=agent))["data"]["registerCase"]["case"]
    illegal = await act(gql, agent, "confirmCase", ("", ""), {"c": created["id"]})
    assert illegal["errors"][0]["code"] == "INVALID_STATE" and "已受理" in illegal["errors"][0]["message"]


async def test_cases_stay_inside_their_company_and_project(gql, desk, org, other_org, owner_engine):
    created = (await gql(REGISTER, {"i": case_input(desk)}, token=desk["agent"][1]))["data"]["registerCase"]["case"]
    c = {"c": created["id"]}
    other_admin = await gql.login(other_org)
    await add_user(owner_engine, org, "pm.p2", "project_manager", "P2")
    pm_p2 = await gql.login(org, "pm.p2")
    for token in (other_admin, pm_p2):
        seen = await gql("query($c: ID!) { case(id: $c) { id } node(id: $c) { id } }", c, token=token)
        assert seen["data"] == {"case": None, "node": None}
        assert (await act(gql, token, "commitCase", ("", ""), c))["errors"][0]["code"] == "NOT_FOUND"
    body = (await gql(REGISTER, {"i": case_input(desk)}, token=other_admin))["data"]["registerCase"]
    assert body["errors"][0]["code"] == "NOT_FOUND"  # A's project is not B's to register in
    body = (await gql(REGISTER, {"i": case_input(desk)}, token=pm_p2))["data"]["registerCase"]
    assert body["errors"][0]["code"] == "NOT_FOUND"  # the same company, another project: answered alike
