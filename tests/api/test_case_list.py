"""The `cases` list: filters, paging, and only what the caller may see."""

from __future__ import annotations

from sqlalchemy import text

from tests.api.conftest import REGISTER, case_input
from tests.conftest import add_user

LIST = """query($f: CaseFilter, $n: Int, $a: String) { cases(filter: $f, first: $n, after: $a) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { number kind severity state project { code } } } } }"""


async def _register(gql, desk, n: int, **over) -> list[str]:
    numbers = []
    for _ in range(n):
        body = (await gql(REGISTER, {"i": case_input(desk, **over)}, token=desk["agent"][1]))["data"]["registerCase"]
        numbers.append(body["case"]["number"])
    return numbers


async def test_filters_and_pages(gql, desk, owner_engine, org):
    repairs = await _register(gql, desk, 3, kind="REPAIR", category="water_power", severity="MAJOR")
    requests = await _register(gql, desk, 2)
    agent = desk["agent"][1]
    everything = (await gql(LIST, {"n": 2}, token=agent))["data"]["cases"]
    assert everything["totalCount"] == 5 and everything["pageInfo"]["hasNextPage"]
    newest_first = [e["node"]["number"] for e in everything["edges"]]
    assert newest_first == sorted(repairs + requests, reverse=True)[:2]
    seen = newest_first
    cursor = everything["pageInfo"]["endCursor"]
    while cursor:
        page = (await gql(LIST, {"n": 2, "a": cursor}, token=agent))["data"]["cases"]
        assert page["totalCount"] == 5
        seen += [e["node"]["number"] for e in page["edges"]]
        cursor = page["pageInfo"]["endCursor"] if page["pageInfo"]["hasNextPage"] else None
    assert sorted(seen) == sorted(repairs + requests) and len(set(seen)) == 5
    by_kind = (await gql(LIST, {"f": {"kind": "REPAIR", "severity": "MAJOR", "category": "water_power"}}, token=agent))["data"]["cases"]
    assert sorted(e["node"]["number"] for e in by_kind["edges"]) == sorted(repairs)
    by_state = (await gql(LIST, {"f": {"states": ["COMMITTED"]}}, token=agent))["data"]["cases"]
    assert by_state["totalCount"] == 0
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE case_targets SET due_at = now() - interval '1 hour' WHERE target = 'commit' "
                                "AND case_id = (SELECT id FROM cases WHERE org_id = :o AND number = :n)"),
                           {"o": org.org_id, "n": requests[0]})
    overdue = (await gql(LIST, {"f": {"overdue": True}}, token=agent))["data"]["cases"]
    assert [e["node"]["number"] for e in overdue["edges"]] == [requests[0]]
    assert (await gql(LIST, {"f": {"overdue": False}}, token=agent))["data"]["cases"]["totalCount"] == 4
    bad = await gql(LIST, {"a": "bm90LWEtY3Vyc29y"}, token=agent)
    assert bad["errors"][0]["extensions"]["code"] == "VALIDATION"


async def test_lists_stay_inside_company_and_project(gql, desk, org, other_org, owner_engine):
    await _register(gql, desk, 2)
    await add_user(owner_engine, org, "pm.other", "project_manager", "P2")
    for token in (await gql.login(other_org), await gql.login(org, "pm.other")):
        assert (await gql(LIST, {}, token=token))["data"]["cases"] == {
            "totalCount": 0, "pageInfo": {"hasNextPage": False, "endCursor": None}, "edges": []}
    await add_user(owner_engine, org, "hq.cases", "hq_supervisor", None)
    body = (await gql(LIST, {"f": {"projectId": desk["project"]}}, token=await gql.login(org, "hq.cases")))["data"]["cases"]
    assert body["totalCount"] == 2 and {e["node"]["project"]["code"] for e in body["edges"]} == {"P1"}


async def test_timeline_and_my_queue(gql, desk, org, other_org):
    agent, tech = desk["agent"][1], desk["tech"][1]
    case_id = (await gql(REGISTER, {"i": case_input(desk)}, token=agent))["data"]["registerCase"]["case"]["id"]
    c = {"c": case_id, "t": desk["tech"][0]}
    await gql("mutation($c: ID!) { commitCase(caseId: $c) { errors { code } } }", c, token=agent)
    await gql("mutation($c: ID!, $t: ID) { dispatchCase(caseId: $c, assigneeId: $t) { errors { code } } }", c, token=agent)
    queue = "{ myQueue { totalCount edges { node { id state } } } }"
    assert (await gql(queue, token=tech))["data"]["myQueue"] == {
        "totalCount": 1, "edges": [{"node": {"id": case_id, "state": "DISPATCHED"}}]}
    assert (await gql(queue, token=agent))["errors"][0]["extensions"]["code"] == "FORBIDDEN"  # agents do not work cases
    timeline = "query($c: ID!) { caseTimeline(caseId: $c) { action fromState toState actor data } }"
    steps = (await gql(timeline, {"c": case_id}, token=agent))["data"]["caseTimeline"]
    assert [s["action"] for s in steps] == ["case.received", "case.committed", "case.dispatched"]
    assert steps[2]["fromState"] == "committed" and steps[2]["toState"] == "dispatched" and steps[0]["actor"].startswith("user:")
    foreign = await gql(timeline, {"c": case_id}, token=await gql.login(other_org))
    assert foreign["data"] is None and foreign["errors"][0]["extensions"]["code"] == "NOT_FOUND"
