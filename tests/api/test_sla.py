"""SLA clocks through the API and the real scanner: targets at the right transitions, timers that
fire exactly once even with two scanners, pauses that move deadlines, immediate escalations,
and the tenant wall."""

from __future__ import annotations

import asyncio


from sqlalchemy import text

from api.graphql.types.node import from_global_id
from tests.api.conftest import REGISTER, case_input
from tests.conftest import add_user
from workers.sla_scanner import fire_due

SLA = ("query($c: ID!) { case(id: $c) { sla { state targets { target round dueAt metAt state minutesLeft provisional } } "
       "escalations { level reason target recipients { username } } } }")


async def run(gql, token, mutation: str, c: str, args: str = "", **variables) -> dict:
    decl = "".join(f", ${k}: {t}" for k, (t, _) in variables.items())
    body = await gql(f"mutation($c: ID!{decl}) {{ {mutation}(caseId: $c{args}) {{ errors {{ code message }} }} }}",
                     {"c": c, **{k: v for k, (_, v) in variables.items()}}, token=token)
    assert body["data"][mutation]["errors"] == [], body
    return body


async def sla(gql, token, c: str) -> dict:
    return (await gql(SLA, {"c": c}, token=token))["data"]["case"]


async def travel(owner_engine, c: str, target: str, *levels: str) -> None:
    """Time travel: these timers fall due now."""
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE sla_timers SET due_at = now() - interval '1 second' "
                                "WHERE case_id = :c AND target = :t AND level = ANY(:l)"),
                           {"c": from_global_id(c, "Case"), "t": target, "l": list(levels)})


async def fired(owner_engine, c: str) -> int:
    """The timer escalations of case `c`. The scanner fires every company's due timers, and a run's
    tests share their database: a test counts only its own case's."""
    async with owner_engine.connect() as conn:
        return (await conn.execute(text("SELECT count(*) FROM escalations WHERE case_id = :c AND reason = 'timer'"),
                                   {"c": from_global_id(c, "Case")})).scalar()


async def test_targets_follow_the_case_and_timers_fire_exactly_once(gql, desk, owner_engine, org, platform):
    agent, tech = desk["agent"][1], desk["tech"][1]
    c = (await gql(REGISTER, {"i": case_input(desk)}, token=agent))["data"]["registerCase"]["case"]["id"]
    fresh = await sla(gql, agent, c)
    assert [(t["target"], t["state"]) for t in fresh["sla"]["targets"]] == [
        ("commit", "ON_TRACK"), ("arrive", "ON_TRACK"), ("resolve", "ON_TRACK")]
    assert 28 <= fresh["sla"]["targets"][0]["minutesLeft"] <= 30  # a general request: commit within 30 minutes
    await run(gql, agent, "commitCase", c)
    committed = {t["target"]: t for t in (await sla(gql, agent, c))["sla"]["targets"]}
    assert committed["commit"]["state"] == "MET"
    case = (await gql("query($c: ID!) { case(id: $c) { commitmentDue } }", {"c": c}, token=agent))["data"]["case"]
    assert committed["resolve"]["dueAt"] == case["commitmentDue"], "the resolution target is the promise made"

    # Two scanners race for the same due timers: each level fires once. Another case's timer falls
    # due meanwhile, as other tests' do: the scanners fire it too, once.
    other = (await gql(REGISTER, {"i": case_input(desk)}, token=agent))["data"]["registerCase"]["case"]["id"]
    await travel(owner_engine, other, "commit", "remind")
    await travel(owner_engine, c, "resolve", "remind", "l1")
    await asyncio.gather(fire_due(platform), fire_due(platform))
    await fire_due(platform)
    assert (await fired(owner_engine, c), await fired(owner_engine, other)) == (2, 1)
    escalations = sorted((await sla(gql, agent, c))["escalations"], key=lambda e: e["level"] != "remind")
    assert [(e["level"], e["reason"], e["target"]) for e in escalations] == [
        ("remind", "timer", "resolve"), ("l1", "timer", "resolve")]
    assert escalations[1]["recipients"] == [{"username": "sup"}]
    await travel(owner_engine, c, "resolve", "remind", "l1")  # already fired: nothing to do again
    await fire_due(platform)
    assert await fired(owner_engine, c) == 2
    async with owner_engine.connect() as conn:
        events = (await conn.execute(text("SELECT payload->>'level' FROM outbox WHERE topic = 'case.escalated' "
                                          "AND payload->>'case_id' = :c ORDER BY 1"),
                                     {"c": str(from_global_id(c, "Case"))})).scalars().all()
    assert events == ["l1", "remind"]

    # Waiting on the resident holds the clocks; resuming moves them on.
    await run(gql, agent, "dispatchCase", c, ", assigneeId: $a", a=("ID", desk["tech"][0]))
    await run(gql, tech, "acceptCase", c)
    await run(gql, tech, "startCase", c)
    await run(gql, tech, "pauseCase", c, ", reason: $r", r=("String!", "业主不在家"))
    async with owner_engine.connect() as conn:
        held = (await conn.execute(text("SELECT count(*) FROM sla_timers WHERE case_id = :c AND fired_at IS NULL "
                                        "AND due_at > now() + interval '1000 years'"), {"c": from_global_id(c, "Case")})).scalar()
    assert held == 2  # l2 and l3 of the resolution wait with the case
    assert {t["target"]: t["state"] for t in (await sla(gql, agent, c))["sla"]["targets"]}["resolve"] == "WAITING"
    await run(gql, tech, "resumeCase", c)
    await run(gql, tech, "resolveCase", c, ", result: $r", r=("String!", "已修复"))
    after = {t["target"]: t for t in (await sla(gql, agent, c))["sla"]["targets"]}
    assert after["resolve"]["state"] == "MET" and after["arrive"]["state"] == "MET"
    async with owner_engine.connect() as conn:
        left = (await conn.execute(text("SELECT count(*) FROM sla_timers WHERE case_id = :c AND fired_at IS NULL"),
                                   {"c": from_global_id(c, "Case")})).scalar()
    assert left == 0, "a met target keeps no timer that could still fire"


async def test_nobody_to_send_a_dissatisfied_resident_and_skip_level_complaints_escalate_at_once(gql, desk, owner_engine, org):
    agent, tech = desk["agent"][1], desk["tech"][1]
    pm = await add_user(owner_engine, org, "pm", "project_manager", "P1")
    await add_user(owner_engine, org, "hq", "hq_supervisor", None)
    c = (await gql(REGISTER, {"i": case_input(desk)}, token=agent))["data"]["registerCase"]["case"]["id"]
    await run(gql, agent, "commitCase", c)
    await run(gql, agent, "reportUndispatchable", c, ", reason: $r", r=("String!", "全员外出"))
    await run(gql, agent, "dispatchCase", c, ", assigneeId: $a", a=("ID", desk["tech"][0]))
    for m in ("acceptCase", "startCase"):
        await run(gql, tech, m, c)
    await run(gql, tech, "resolveCase", c, ", result: $r", r=("String!", "已处理"))
    await run(gql, agent, "confirmCase", c)
    await run(gql, agent, "returnVisit", c, ", satisfaction: DISSATISFIED, score: 1")
    state = await sla(gql, agent, c)
    assert [(e["level"], e["reason"]) for e in state["escalations"]] == [("l1", "undispatchable"), ("l2", "dissatisfied")]
    assert state["escalations"][1]["recipients"] == [{"username": "pm"}] and pm
    rounds = {(t["target"], t["round"]): t["state"] for t in state["sla"]["targets"]}
    assert rounds[("visit", 0)] == "MET" and rounds[("resolve", 1)] == "ON_TRACK", "rework is a new round of the clocks"

    complaint = case_input(desk, kind="COMPLAINT", channel="GOV_12345", category="noise", description="12345转来：夜间施工噪音")
    c2 = (await gql(REGISTER, {"i": complaint}, token=agent))["data"]["registerCase"]["case"]["id"]
    skip = (await sla(gql, agent, c2))["escalations"]
    assert [(e["level"], e["reason"]) for e in skip] == [("l3", "skip_level")]
    assert sorted(r["username"] for r in skip[0]["recipients"]) == ["hq", "pm", "sup"], "headquarters and the project's leads"


async def test_cancelled_cases_stop_their_clocks_and_overdue_cases_are_listed(gql, desk, owner_engine, org):
    agent, sup = desk["agent"][1], desk["sup"][1]
    late = (await gql(REGISTER, {"i": case_input(desk)}, token=agent))["data"]["registerCase"]["case"]["id"]
    gone = (await gql(REGISTER, {"i": case_input(desk)}, token=agent))["data"]["registerCase"]["case"]["id"]
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE case_targets SET due_at = now() - interval '10 minutes' WHERE target = 'commit' "
                                "AND case_id = ANY(:c)"), {"c": [from_global_id(late, "Case"), from_global_id(gone, "Case")]})
    await run(gql, sup, "cancelCase", gone, ", reason: $r", r=("String!", "重复登记"))
    overdue = (await gql("{ overdueCases { case { id } target overdueMinutes targetLabel } }", token=sup))["data"]["overdueCases"]
    assert [(o["case"]["id"], o["target"], o["targetLabel"]) for o in overdue] == [(late, "commit", "响应承诺 Commitment")]
    assert overdue[0]["overdueMinutes"] >= 9
    assert {t["state"] for t in (await sla(gql, agent, gone))["sla"]["targets"]} == {"STOPPED"}
    assert (await sla(gql, agent, late))["sla"]["state"] == "BREACHED"


async def test_sla_stays_inside_its_company(gql, desk, owner_engine, org, other_org, platform):
    agent = desk["agent"][1]
    c = (await gql(REGISTER, {"i": case_input(desk)}, token=agent))["data"]["registerCase"]["case"]["id"]
    await travel(owner_engine, c, "commit", "remind", "l1")
    await fire_due(platform)
    assert await fired(owner_engine, c) == 2
    outsider = await gql.login(other_org)
    assert (await gql(SLA, {"c": c}, token=outsider))["data"]["case"] is None
    assert (await gql("{ overdueCases { case { id } } }", token=outsider))["data"]["overdueCases"] == []
    async with owner_engine.connect() as conn:
        theirs = (await conn.execute(text("SELECT count(*) FROM escalations WHERE org_id = :o"), {"o": other_org.org_id})).scalar()
        ours = (await conn.execute(text("SELECT count(*) FROM escalations WHERE org_id = :o"), {"o": org.org_id})).scalar()
    assert (theirs, ours) == (0, 2)
