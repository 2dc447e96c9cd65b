"""进度 The resident's view of a case: the steps they should know, in their words, without the
internal ones; and repeats linked only within a project."""

from __future__ import annotations

from tests.api.conftest import REGISTER, case_input

PROGRESS = "query($c: ID!) { caseProgress(caseId: $c) { number stateLabel commitmentDue steps { stage title message } } }"


async def run(gql, token, mutation: str, c: str, args: str = "", values: dict | None = None) -> None:
    decl = "".join(f", ${k}: {t}" for k, t in (values or {}).get("_types", {}).items())
    variables = {k: v for k, v in (values or {}).items() if k != "_types"}
    body = await gql(f"mutation($c: ID!{decl}) {{ {mutation}(caseId: $c{args}) {{ errors {{ code message }} }} }}",
                     {"c": c, **variables}, token=token)
    assert body["data"][mutation]["errors"] == [], body


async def test_the_resident_sees_their_steps_and_not_the_internal_ones(gql, desk):
    agent, sup, tech = desk["agent"][1], desk["sup"][1], desk["tech"][1]
    case = (await gql(REGISTER, {"i": case_input(desk)}, token=agent))["data"]["registerCase"]["case"]
    c = case["id"]
    await run(gql, agent, "commitCase", c)
    await run(gql, agent, "reportUndispatchable", c, ", reason: $r", {"r": "工程部都在外面", "_types": {"r": "String!"}})
    await run(gql, agent, "requestDecline", c, ", reason: $r", {"r": "内部讨论：是否属于服务范围", "_types": {"r": "String!"}})
    await run(gql, sup, "denyDecline", c, ", note: $n", {"n": "安排人手", "_types": {"n": "String!"}})
    await run(gql, agent, "dispatchCase", c, ", assigneeId: $a", {"a": desk["tech"][0], "_types": {"a": "ID"}})
    await run(gql, tech, "acceptCase", c)
    await run(gql, tech, "startCase", c)
    await run(gql, tech, "pauseCase", c, ", reason: $r", {"r": "需业主在家开门", "_types": {"r": "String!"}})
    await run(gql, tech, "resumeCase", c)
    await run(gql, tech, "resolveCase", c, ", result: $r", {"r": "十块瓷砖已搬至展厅", "_types": {"r": "String!"}})
    await run(gql, agent, "confirmCase", c)
    await run(gql, agent, "returnVisit", c, ", satisfaction: SATISFIED, score: 5")

    progress = (await gql(PROGRESS, {"c": c}, token=agent))["data"]["caseProgress"]
    assert progress["number"] == case["number"] and progress["stateLabel"] == "已关闭 Closed"
    stages = [s["stage"] for s in progress["steps"]]
    assert stages == ["received", "committed", "dispatched", "accepted", "started", "paused", "resumed", "resolved",
                      "confirmed", "closed"]
    text = " ".join(s["message"] for s in progress["steps"])
    assert "已安排tech为您处理" in text and "需业主在家开门" in text and "十块瓷砖已搬至展厅" in text
    # What was said inside the company stays inside.
    assert "工程部都在外面" not in text and "内部讨论" not in text and "安排人手" not in text
    assert progress["steps"][1]["message"].startswith("我们承诺在 ")


async def test_an_apology_reaches_the_resident(gql, desk):
    agent = desk["agent"][1]
    c = (await gql(REGISTER, {"i": case_input(desk)}, token=agent))["data"]["registerCase"]["case"]["id"]
    await run(gql, agent, "commitCase", c)
    due = (await gql(PROGRESS, {"c": c}, token=agent))["data"]["caseProgress"]["commitmentDue"]
    from datetime import datetime, timedelta
    later = (datetime.fromisoformat(due) + timedelta(hours=3)).isoformat()
    await run(gql, agent, "missPromise", c, ", apology: $a, reason: $r, remedy: $m, newDue: $d", {
        "a": "非常抱歉未能按时处理。", "r": "配件缺货", "m": "已从总部调货", "d": later,
        "_types": {"a": "String!", "r": "String!", "m": "String!", "d": "DateTime!"}})
    step = (await gql(PROGRESS, {"c": c}, token=agent))["data"]["caseProgress"]["steps"][-1]
    assert step["stage"] == "promise_broken" and step["title"] == "致歉 Apology"
    assert "非常抱歉未能按时处理。" in step["message"] and "配件缺货" in step["message"] and "已从总部调货" in step["message"]


async def test_progress_stays_inside_its_company(gql, desk, other_org):
    c = (await gql(REGISTER, {"i": case_input(desk)}, token=desk["agent"][1]))["data"]["registerCase"]["case"]["id"]
    outsider = await gql.login(other_org)
    assert (await gql(PROGRESS, {"c": c}, token=outsider)) == {"data": {"caseProgress": None}}


async def test_a_repeat_links_only_to_a_case_of_the_same_project(gql, desk, owner_engine, org, other_org):
    from api.graphql.types.node import to_global_id
    from tests.conftest import add_unit

    admin = await gql.login(org)
    here = (await gql(REGISTER, {"i": case_input(desk)}, token=admin))["data"]["registerCase"]["case"]["id"]
    earlier = (await gql(REGISTER, {"i": case_input(desk)}, token=admin))["data"]["registerCase"]["case"]["id"]
    unit, _ = await add_unit(owner_engine, org, "P2")
    p2 = {"projectId": to_global_id("Project", org.projects["P2"]), "unitId": to_global_id("Unit", unit)}
    elsewhere = (await gql(REGISTER, {"i": case_input(desk, **p2)}, token=admin))["data"]["registerCase"]["case"]["id"]
    link = "mutation($c: ID!, $e: ID!) { linkRepeatCase(caseId: $c, earlierCaseId: $e) { errors { code field } } }"
    assert (await gql(link, {"c": here, "e": elsewhere}, token=admin))["data"]["linkRepeatCase"]["errors"] == [
        {"code": "VALIDATION", "field": "earlierCaseId"}]
    outsider = await gql.login(other_org)
    theirs = (await gql(link, {"c": here, "e": earlier}, token=outsider))["data"]["linkRepeatCase"]["errors"]
    assert theirs == [{"code": "NOT_FOUND", "field": "caseId"}]
    assert (await gql(link, {"c": here, "e": earlier}, token=admin))["data"]["linkRepeatCase"]["errors"] == []
