"""The queue's reads: `cases(orderBy)` and `myQueue(orderBy)` with their keyset cursors,
`SlaTarget.startedAt`, and `caseCounts` — each inside its company and projects only."""

from __future__ import annotations

from sqlalchemy import text

from api.graphql.types.node import from_global_id
from domain.cases.queue import case_counts
from tests.api.conftest import REGISTER, case_input, read_as
from tests.conftest import add_user

LIST = """query($o: CaseOrder, $n: Int, $a: String, $f: CaseFilter) { cases(orderBy: $o, first: $n, after: $a, filter: $f) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id number } } } }"""
COUNTS = """query($p: ID) { caseCounts(projectId: $p) { toCommit toDispatch toAccept inProgress toConfirm toVisit overdue
  declineRequested referred open mine } }"""
ZERO = dict.fromkeys("toCommit toDispatch toAccept inProgress toConfirm toVisit overdue declineRequested referred open mine".split(), 0)


async def _register(gql, desk, n: int) -> list[str]:
    ids = []
    for i in range(n):
        body = await gql(REGISTER, {"i": case_input(desk, description=f"第{i}件 漏水")}, token=desk["agent"][1])
        ids.append(body["data"]["registerCase"]["case"]["id"])
    return ids


async def _walk(gql, token, order, n=1, query=LIST) -> list[str]:
    seen, after = [], None
    while True:
        page = (await gql(query, {"o": order, "n": n, "a": after}, token=token))["data"]
        page = page.get("cases") or page.get("myQueue")
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return seen
        after = page["pageInfo"]["endCursor"]


async def _set_due(owner_engine, org, case_id: str, minutes: int | None) -> None:
    """The case's open targets due in `minutes` (None: all met, so no open target is left)."""
    sql = ("UPDATE case_targets SET met_at = now() WHERE org_id = :o AND case_id = :c" if minutes is None else
           "UPDATE case_targets SET due_at = now() + make_interval(mins => :m) WHERE org_id = :o AND case_id = :c AND met_at IS NULL")
    async with owner_engine.begin() as conn:
        await conn.execute(text(sql), {"o": org.org_id, "c": from_global_id(case_id, "Case"), "m": minutes})


async def test_time_left_puts_the_soonest_deadline_first_and_pages_through_it(gql, desk, org, owner_engine):
    ids = await _register(gql, desk, 5)
    for case_id, minutes in zip(ids, (30, None, -10, 90, None), strict=True):
        await _set_due(owner_engine, org, case_id, minutes)
    expected_head = [ids[2], ids[0], ids[3]]  # overdue, then 30 and 90 minutes left
    tail = sorted([ids[1], ids[4]], key=lambda i: str(from_global_id(i, "Case")))  # no open target: last, by id
    token = desk["sup"][1]
    for size in (1, 2, 10):
        assert await _walk(gql, token, "TIME_LEFT", size) == expected_head + tail
    # A broken promise counts from when it was broken, however far off the new promise is.
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE case_targets SET broken_at = now() - interval '1 hour', due_at = now() + interval '9 hours' "
                                "WHERE org_id = :o AND case_id = :c AND met_at IS NULL"),
                           {"o": org.org_id, "c": from_global_id(ids[3], "Case")})
    assert (await _walk(gql, token, "TIME_LEFT", 10))[:3] == [ids[3], ids[2], ids[0]]


async def test_number_and_the_default_order_keep_their_cursors(gql, desk):
    ids = await _register(gql, desk, 4)
    token = desk["sup"][1]
    by_number = await gql(LIST, {"o": "NUMBER", "n": 10}, token=token)
    numbers = [e["node"]["number"] for e in by_number["data"]["cases"]["edges"]]
    assert numbers == sorted(numbers)
    assert await _walk(gql, token, "NUMBER", 3) == [e["node"]["id"] for e in by_number["data"]["cases"]["edges"]]
    # RECEIVED_NEWEST is the default, cursors and all.
    default = await gql(LIST, {"n": 2}, token=token)
    newest = await gql(LIST, {"o": "RECEIVED_NEWEST", "n": 2}, token=token)
    assert default == newest and await _walk(gql, token, "RECEIVED_NEWEST", 3) == list(reversed(ids))


async def test_a_cursor_of_another_order_is_refused_with_a_code(gql, desk):
    await _register(gql, desk, 2)
    token = desk["sup"][1]
    cursors = {o: (await gql(LIST, {"o": o, "n": 1}, token=token))["data"]["cases"]["pageInfo"]["endCursor"]
               for o in ("TIME_LEFT", "NUMBER", "RECEIVED_NEWEST")}
    for given, asked in (("TIME_LEFT", "NUMBER"), ("NUMBER", "RECEIVED_NEWEST"), ("RECEIVED_NEWEST", "TIME_LEFT")):
        body = await gql(LIST, {"o": asked, "a": cursors[given]}, token=token)
        error = body["errors"][0]
        assert body["data"] is None and error["extensions"]["code"] == "VALIDATION", body
        assert given in error["message"] and asked in error["message"]
    assert (await gql(LIST, {"o": "TIME_LEFT", "a": "bm90LWEtY3Vyc29y"}, token=token))["errors"][0]["extensions"]["code"] == "VALIDATION"


async def test_my_queue_sorts_by_time_left(gql, desk, org, owner_engine):
    ids = await _register(gql, desk, 3)
    sup = desk["sup"][1]
    for case_id in ids:
        c = {"c": case_id, "t": desk["tech"][0]}
        await gql("mutation($c: ID!) { commitCase(caseId: $c) { errors { code } } }", c, token=sup)
        assert (await gql("mutation($c: ID!, $t: ID) { dispatchCase(caseId: $c, assigneeId: $t) { errors { code } } }", c,
                          token=sup))["data"]["dispatchCase"]["errors"] == []
    for case_id, minutes in zip(ids, (50, 10, 30), strict=True):
        await _set_due(owner_engine, org, case_id, minutes)
    query = """query($o: CaseOrder, $n: Int, $a: String) { myQueue(orderBy: $o, first: $n, after: $a) {
      pageInfo { hasNextPage endCursor } edges { node { id } } } }"""
    assert await _walk(gql, desk["tech"][1], "TIME_LEFT", 2, query) == [ids[1], ids[2], ids[0]]


async def test_orders_stay_inside_company_and_project(gql, desk, org, other_org, owner_engine):
    await _register(gql, desk, 2)
    await add_user(owner_engine, org, "pm.other", "project_manager", "P2")
    for token in (await gql.login(other_org), await gql.login(org, "pm.other")):
        for order in ("TIME_LEFT", "NUMBER"):
            assert (await gql(LIST, {"o": order}, token=token))["data"]["cases"]["edges"] == []


async def test_a_target_says_when_its_clock_started(gql, desk):
    case_id = (await _register(gql, desk, 1))[0]
    body = await gql("query($c: ID!) { case(id: $c) { receivedAt sla { targets { target startedAt dueAt } } } }", {"c": case_id},
                     token=desk["sup"][1])
    case = body["data"]["case"]
    commit = next(t for t in case["sla"]["targets"] if t["target"] == "commit")
    assert commit["startedAt"] == case["receivedAt"] and commit["startedAt"] < commit["dueAt"]


async def test_case_counts_per_tab_inside_company_and_project(gql, desk, org, other_org, owner_engine, platform):
    ids = await _register(gql, desk, 4)
    sup, tech = desk["sup"][1], desk["tech"][1]
    c = {"t": desk["tech"][0]}
    await gql("mutation($c: ID!) { commitCase(caseId: $c) { errors { code } } }", {**c, "c": ids[1]}, token=sup)
    for case_id in ids[2:]:
        await gql("mutation($c: ID!) { commitCase(caseId: $c) { errors { code } } }", {**c, "c": case_id}, token=sup)
        await gql("mutation($c: ID!, $t: ID) { dispatchCase(caseId: $c, assigneeId: $t) { errors { code } } }",
                  {**c, "c": case_id}, token=sup)
    await gql("mutation($c: ID!) { acceptCase(caseId: $c) { errors { code } } }", {"c": ids[3]}, token=tech)
    await _set_due(owner_engine, org, ids[0], -5)
    expected = {**ZERO, "toCommit": 1, "toDispatch": 1, "toAccept": 1, "inProgress": 1, "overdue": 1, "open": 4}
    assert (await gql(COUNTS, {}, token=sup))["data"]["caseCounts"] == expected
    assert (await gql(COUNTS, {"p": desk["project"]}, token=sup))["data"]["caseCounts"] == expected
    assert (await gql(COUNTS, {}, token=tech))["data"]["caseCounts"]["mine"] == 2
    # Another company and another project see none of it; naming a project out of reach is NOT_FOUND.
    await add_user(owner_engine, org, "pm.p2", "project_manager", "P2")
    for token in (await gql.login(other_org), await gql.login(org, "pm.p2")):
        assert (await gql(COUNTS, {}, token=token))["data"]["caseCounts"] == ZERO
        foreign = await gql(COUNTS, {"p": desk["project"]}, token=token)
        assert foreign["data"] is None and foreign["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    # The read itself, given the project's id: its company's counts, another company's none.
    counted = await read_as(platform, org, lambda db: case_counts(db, org.projects["P1"], None, None))
    assert (counted.open, counted.to_commit, counted.overdue) == (4, 1, 1)
    foreign = await read_as(platform, other_org, lambda db: case_counts(db, org.projects["P1"], None, None))
    assert (foreign.open, foreign.to_commit, foreign.overdue) == (0, 0, 0)
