"""交接班 through the API (docs/centre-day.md §4): one open log per department, notes and open
items, the handover copying what is left into the next shift's log, signing for it by name before
writing, an item carried three times flagged, and the morning briefing. Another company's and
another project's callers see and change nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import text

from api.graphql.types.node import from_global_id, to_global_id
from tests.api.conftest import REGISTER, case_input
from tests.conftest import add_user

BEIJING = timezone(timedelta(hours=8))
ENTRY = "id kind text doneAt carryCount flagged carriedFromId case { id }"
LOG = (f"id state summary previousLogId nextLogId needsMyAcknowledgement department {{ kind }} author {{ username }} "
       f"acknowledgements {{ user {{ username }} }} entries {{ {ENTRY} }}")
OPEN = f"""mutation($p: ID!, $d: ID, $s: DateTime!, $e: DateTime!, $k: String) {{
  openShiftLog(projectId: $p, departmentId: $d, shiftStart: $s, shiftEnd: $e, idempotencyKey: $k) {{
    log {{ {LOG} }} errors {{ code field reason message }} }} }}"""
ADD = f"""mutation($l: ID!, $k: LogEntryKind!, $t: String!, $c: ID) {{
  addLogEntry(logId: $l, kind: $k, text: $t, caseId: $c) {{ entry {{ {ENTRY} }} errors {{ code field reason message }} }} }}"""
CLOSE = f"mutation($e: ID!) {{ closeLogItem(entryId: $e) {{ entry {{ {ENTRY} }} errors {{ code field reason }} }} }}"
HAND = f"mutation($l: ID!, $s: String) {{ handOverShift(logId: $l, summary: $s) {{ log {{ {LOG} }} errors {{ code field reason }} }} }}"
ACK = f"mutation($l: ID!) {{ acknowledgeHandover(logId: $l) {{ log {{ {LOG} }} errors {{ code field reason }} }} }}"
LOGS = "query($p: ID!, $s: ShiftLogState) { shiftLogs(projectId: $p, state: $s) { totalCount edges { node { id state } } } }"
ONE = "query($l: ID!) { shiftLog(id: $l) { id } node(id: $l) { id } }"
BRIEFING = """query($p: ID!, $d: Date!) { morningBriefing(projectId: $p, date: $d) {
  date nightFrom nightTo nightOpenItemCount flaggedItemCount
  nightOpenItems { carries flagged entry { id text } }
  receivedCaseCount receivedCases { id } overdueCaseCount overdueCases { id }
  openAlerts { colour count } overdueActionCount overdueActions { title } brokenPromiseCount brokenPromises { reason case { id } } } }"""


@pytest.fixture
async def centre(gql, desk, owner_engine, org, other_org):
    users = {"pm1": await add_user(owner_engine, org, "pm1", "project_manager", "P1"),
             "pm2": await add_user(owner_engine, org, "pm2", "project_manager", "P2")}
    return {**desk, **{n: (to_global_id("User", u), await gql.login(org, n)) for n, u in users.items()},
            "p2": to_global_id("Project", org.projects["P2"]), "stranger": await gql.login(other_org)}


def span(start: datetime, hours: float = 8) -> dict:
    return {"s": start.isoformat(), "e": (start + timedelta(hours=hours)).isoformat()}


def ok(reply, name, part):
    assert "errors" not in reply, reply
    assert reply["data"][name]["errors"] == [], reply
    return reply["data"][name][part]


def refused(reply, name):
    assert "errors" not in reply, reply
    assert reply["data"][name][list(reply["data"][name])[0]] is None, reply
    return reply["data"][name]["errors"][0]


async def open_log(gql, c, token, start, **kw):
    return ok(await gql(OPEN, {"p": c["project"], **span(start), **kw}, token=token), "openShiftLog", "log")


async def test_a_shift_writes_hands_over_and_the_next_signs_before_writing(gql, centre):
    c, now = centre, datetime.now(UTC)
    log = await open_log(gql, c, c["agent"][1], now - timedelta(hours=4), k="o1")
    assert (log["state"], log["department"], log["author"]["username"], log["needsMyAcknowledgement"]) == (
        "OPEN", None, "agent", False)
    assert (await open_log(gql, c, c["agent"][1], now - timedelta(hours=4), k="o1"))["id"] == log["id"]  # replayed
    e = refused(await gql(OPEN, {"p": c["project"], **span(now)}, token=c["sup"][1]), "openShiftLog")
    assert (e["code"], e["reason"]) == ("CONFLICT", "SHIFT_OPEN")

    case_id = (await gql(REGISTER, {"i": case_input(c)}, token=c["agent"][1]))["data"]["registerCase"]["case"]["id"]
    note = ok(await gql(ADD, {"l": log["id"], "k": "NOTE", "t": "3号楼电梯困人已解除", "c": case_id}, token=c["agent"][1]),
              "addLogEntry", "entry")
    assert note["case"]["id"] == case_id
    left = ok(await gql(ADD, {"l": log["id"], "k": "OPEN_ITEM", "t": "304 漏水待物业维修回访"}, token=c["agent"][1]),
              "addLogEntry", "entry")
    done = ok(await gql(ADD, {"l": log["id"], "k": "OPEN_ITEM", "t": "大堂灯更换"}, token=c["agent"][1]), "addLogEntry", "entry")
    e = refused(await gql(ADD, {"l": log["id"], "k": "NOTE", "t": "  "}, token=c["agent"][1]), "addLogEntry")
    assert (e["code"], e["field"]) == ("VALIDATION", "text")
    assert refused(await gql(CLOSE, {"e": note["id"]}, token=c["agent"][1]), "closeLogItem")["code"] == "VALIDATION"
    assert ok(await gql(CLOSE, {"e": done["id"]}, token=c["agent"][1]), "closeLogItem", "entry")["doneAt"]
    assert refused(await gql(CLOSE, {"e": done["id"]}, token=c["agent"][1]), "closeLogItem")["code"] == "INVALID_STATE"

    handed = ok(await gql(HAND, {"l": log["id"], "s": "夜班平稳，304 漏水未修复"}, token=c["agent"][1]), "handOverShift", "log")
    assert handed["state"] == "HANDED_OVER"
    e = refused(await gql(ADD, {"l": log["id"], "k": "NOTE", "t": "补记"}, token=c["agent"][1]), "addLogEntry")
    assert (e["code"], e["reason"]) == ("INVALID_STATE", "SHIFT_HANDED_OVER")

    # The next shift takes over: the open item is copied in, the closed one and the note stay behind.
    nxt = await open_log(gql, c, c["sup"][1], now + timedelta(hours=4))
    assert nxt["previousLogId"] == log["id"] and nxt["needsMyAcknowledgement"] is True
    assert [(x["text"], x["carryCount"], x["carriedFromId"], x["flagged"]) for x in nxt["entries"]] == [
        ("304 漏水待物业维修回访", 1, left["id"], False)]
    e = refused(await gql(ADD, {"l": nxt["id"], "k": "NOTE", "t": "接班"}, token=c["sup"][1]), "addLogEntry")
    assert (e["code"], e["reason"]) == ("INVALID_STATE", "HANDOVER_NOT_ACKNOWLEDGED")
    signed = ok(await gql(ACK, {"l": nxt["id"]}, token=c["sup"][1]), "acknowledgeHandover", "log")
    assert [a["user"]["username"] for a in signed["acknowledgements"]] == ["sup"] and not signed["needsMyAcknowledgement"]
    assert ok(await gql(ACK, {"l": nxt["id"]}, token=c["sup"][1]), "acknowledgeHandover", "log")["acknowledgements"] == [
        {"user": {"username": "sup"}}]
    ok(await gql(ADD, {"l": nxt["id"], "k": "NOTE", "t": "已签收"}, token=c["sup"][1]), "addLogEntry", "entry")
    # Each person signs by name: the agent has not, for this log.
    e = refused(await gql(ADD, {"l": nxt["id"], "k": "NOTE", "t": "补记"}, token=c["agent"][1]), "addLogEntry")
    assert e["reason"] == "HANDOVER_NOT_ACKNOWLEDGED"
    # The first log had no handover to sign for.
    assert refused(await gql(ACK, {"l": log["id"]}, token=c["sup"][1]), "acknowledgeHandover")["code"] == "VALIDATION"
    logs = (await gql(LOGS, {"p": c["project"]}, token=c["agent"][1]))["data"]["shiftLogs"]
    assert [n["node"]["id"] for n in logs["edges"]] == [nxt["id"], log["id"]] and logs["totalCount"] == 2
    # A technician writes no log.
    tech = await gql(OPEN, {"p": c["project"], **span(now + timedelta(days=1))}, token=c["tech"][1])
    assert tech["data"] is None and tech["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def night_of(day: date, hour: int) -> datetime:
    base = datetime.combine(day - timedelta(days=1), time(18), BEIJING)
    return base + timedelta(hours=hour)


async def test_an_item_carried_three_times_is_flagged_at_the_morning_briefing(gql, centre, owner_engine, org):
    c, now = centre, datetime.now(UTC)
    day = (now + timedelta(hours=6)).astimezone(BEIJING).date()  # a day whose night has begun
    people = [c["agent"][1], c["sup"][1], c["pm1"][1], c["agent"][1]]
    log = await open_log(gql, c, people[0], night_of(day, 0))
    item = ok(await gql(ADD, {"l": log["id"], "k": "OPEN_ITEM", "t": "5号楼消防通道堆物"}, token=people[0]), "addLogEntry", "entry")
    for n, token in enumerate(people[1:], start=1):
        ok(await gql(HAND, {"l": log["id"]}, token=people[n - 1]), "handOverShift", "log")
        log = ok(await gql(OPEN, {"p": c["project"], "s": night_of(day, 3 * n).isoformat(),
                                  "e": night_of(day, 3 * n + 3).isoformat()}, token=token), "openShiftLog", "log")
    [carried] = log["entries"]
    assert (carried["text"], carried["carryCount"], carried["flagged"]) == ("5号楼消防通道堆物", 3, True)
    assert carried["id"] != item["id"]

    case_id = (await gql(REGISTER, {"i": case_input(c)}, token=c["agent"][1]))["data"]["registerCase"]["case"]["id"]
    ids = {"o": org.org_id, "p": org.projects["P1"], "p2": org.projects["P2"], "c": from_global_id(case_id, "Case"),
           "u": from_global_id(c["sup"][0], "User"), "y": datetime.combine(day - timedelta(days=1), time(12), BEIJING),
           "d": day}
    async with owner_engine.begin() as conn:
        for project, colour in (("p", "red"), ("p", "yellow"), ("p2", "red")):
            await conn.execute(text(
                "INSERT INTO alerts (org_id, project_id, rule, scope_key, colour, title, detail, case_ids) "
                f"VALUES (:o, :{project}, 'cluster', :k, :col, '漏水集中', '5户', '{{}}')"), {**ids, "k": f"b:{project}{colour}",
                                                                                         "col": colour})
        await conn.execute(text(
            "INSERT INTO improvement_actions (org_id, project_id, source, title, owner_user_id, due_on, raised_by) "
            "VALUES (:o, :p, 'other', '门岗登记整改', :u, CAST(:d AS date) - 2, 'user:x'), "
            "       (:o, :p2, 'other', '二期整改', :u, CAST(:d AS date) - 2, 'user:x')"), ids)
        await conn.execute(text(
            "INSERT INTO audit_log (org_id, project_id, at, actor, action, entity, entity_id, data) "
            "VALUES (:o, :p, :y, 'user:x', 'case.promise_broken', 'case', :c, '{\"reason\": \"配件未到\"}')"), ids)

    b = (await gql(BRIEFING, {"p": c["project"], "d": day.isoformat()}, token=c["sup"][1]))["data"]["morningBriefing"]
    assert (b["nightOpenItemCount"], b["flaggedItemCount"]) == (1, 1)
    assert b["nightOpenItems"] == [{"carries": 3, "flagged": True, "entry": {"id": carried["id"], "text": "5号楼消防通道堆物"}}]
    assert case_id in [x["id"] for x in b["receivedCases"]] and b["receivedCaseCount"] >= 1
    assert b["overdueCaseCount"] == len(b["overdueCases"])
    assert b["openAlerts"] == [{"colour": "red", "count": 1}, {"colour": "orange", "count": 0}, {"colour": "yellow", "count": 1}]
    assert (b["overdueActionCount"], [a["title"] for a in b["overdueActions"]]) == (1, ["门岗登记整改"])
    assert (b["brokenPromiseCount"], b["brokenPromises"]) == (1, [{"reason": "配件未到", "case": {"id": case_id}}])

    # Project P2's briefing holds none of P1's.
    b2 = (await gql(BRIEFING, {"p": c["p2"], "d": day.isoformat()}, token=c["pm2"][1]))["data"]["morningBriefing"]
    assert (b2["nightOpenItemCount"], b2["receivedCaseCount"], b2["overdueActionCount"], b2["brokenPromiseCount"]) == (0, 0, 1, 0)
    assert b2["openAlerts"][0] == {"colour": "red", "count": 1}


async def test_handover_behind_the_company_and_project_walls(gql, centre, owner_engine, org):
    c, now = centre, datetime.now(UTC)
    log = await open_log(gql, c, c["agent"][1], now)
    item = ok(await gql(ADD, {"l": log["id"], "k": "OPEN_ITEM", "t": "门禁卡补办"}, token=c["agent"][1]), "addLogEntry", "entry")
    # A case of another project cannot be named in P1's log.
    other = (await gql(REGISTER, {"i": case_input(c, projectId=c["p2"], unitId=None, publicArea="大堂")}, token=c["pm2"][1]))
    other_id = other["data"]["registerCase"]["case"]["id"]
    e = refused(await gql(ADD, {"l": log["id"], "k": "NOTE", "t": "x", "c": other_id}, token=c["agent"][1]), "addLogEntry")
    assert (e["code"], e["field"]) == ("NOT_FOUND", "caseId")
    day = now.astimezone(BEIJING).date().isoformat()
    for token in (c["stranger"], c["pm2"][1]):
        for q, v in ((LOGS, {"p": c["project"]}), (BRIEFING, {"p": c["project"], "d": day})):
            r = await gql(q, v, token=token)
            assert r["data"] is None and r["errors"][0]["extensions"]["code"] == "NOT_FOUND", r
        assert (await gql(ONE, {"l": log["id"]}, token=token))["data"] == {"shiftLog": None, "node": None}
        assert (await gql("query($e: ID!) { node(id: $e) { id } }", {"e": item["id"]}, token=token))["data"]["node"] is None
        assert refused(await gql(OPEN, {"p": c["project"], **span(now)}, token=token), "openShiftLog")["code"] == "NOT_FOUND"
        for q, v, name in ((ADD, {"l": log["id"], "k": "NOTE", "t": "x"}, "addLogEntry"), (CLOSE, {"e": item["id"]}, "closeLogItem"),
                           (HAND, {"l": log["id"]}, "handOverShift"), (ACK, {"l": log["id"]}, "acknowledgeHandover")):
            assert refused(await gql(q, v, token=token), name)["code"] == "NOT_FOUND", name
    # Nothing changed: the log is still open with its item.
    one = (await gql(f"query($l: ID!) {{ shiftLog(id: $l) {{ {LOG} }} }}", {"l": log["id"]}, token=c["agent"][1]))["data"]["shiftLog"]
    assert one["state"] == "OPEN" and [x["doneAt"] for x in one["entries"]] == [None]
    # P2 opens its own service-centre log: one open log per project, not per company.
    assert (await open_log(gql, {**c, "project": c["p2"]}, c["pm2"][1], now))["state"] == "OPEN"
