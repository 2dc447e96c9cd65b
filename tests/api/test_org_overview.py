"""总部看板 and the KPI rollups: hand-computed figures through the real path (API → outbox →
worker → rollups), the rebuild giving the same numbers after a random stream of events, and
each caller seeing only their own projects."""

from __future__ import annotations

import asyncio
import json
import random
import uuid
from datetime import datetime, timedelta

from sqlalchemy import text

from domain.archive.accuracy import beijing_today
from domain.kpi.call_rollups import rebuild_calls
from domain.kpi.fee_rollups import rebuild_fees
from domain.kpi.rollups import rebuild
from domain.sla.calendar import CHINA
from tenants.context import TenantScope
from tests.api.conftest import REGISTER, case_input
from tests.conftest import add_user
from tests.integration.test_archive_accuracy import Archive, computed
from tests.integration.fees_setup import add_flats
from tests.integration.test_demo_history import staffed
from workers.broker import EVENTS_QUEUE
from firstcall.demo_trickle import tick
from workers.relay import relay_all
from workers.score_sweep import sweep

OVERVIEW = ("{ orgOverview { open overdue breachedToday totals { received responseRate resolutionRate satisfactionRate "
            "firstContactRate returnVisitRate onTimeRate complaintsPer1000 brokenPromises escalations } "
            "projects { project { code } open month { received resolutionRate } } } }")


async def settle(platform, broker) -> None:
    for _ in range(3):
        await relay_all(platform, broker)
        await asyncio.to_thread(broker.join, EVENTS_QUEUE, timeout=30_000, fail_fast=True)


async def snapshot(owner_engine, org_id) -> dict[tuple, dict]:
    """Every bucket of the company: (table, project, period) → its counts."""
    async with owner_engine.connect() as conn:
        buckets = {}
        for table, keys in (("kpi_project_day", ("day",)), ("kpi_project_month", ("month",)), ("kpi_project_live", ()),
                            ("kpi_category_month", ("month", "kind", "category_id")),
                            ("kpi_person_month", ("month", "user_id", "department_id"))):
            for row in await conn.execute(text(f"SELECT * FROM {table} WHERE org_id = :o"), {"o": org_id}):
                counts = {k: v for k, v in row._mapping.items() if k not in ("org_id", "project_id", *keys, "updated_at", "computed_at")}
                buckets[(table, row.project_id, *(getattr(row, k) for k in keys))] = counts
    return buckets


def differences(a: dict, b: dict) -> list:
    return [(key, {k: (a.get(key, {}).get(k), b.get(key, {}).get(k)) for k in (a.get(key) or b.get(key))
                   if a.get(key, {}).get(k) != b.get(key, {}).get(k)}) for key in a.keys() | b.keys() if a.get(key) != b.get(key)]


async def run(gql, token, mutation, c, args="", **variables):
    decl = "".join(f", ${k}: {t}" for k, (t, _) in variables.items())
    body = await gql(f"mutation($c: ID!{decl}) {{ {mutation}(caseId: $c{args}) {{ errors {{ code message }} }} }}",
                     {"c": c, **{k: v for k, (_, v) in variables.items()}}, token=token)
    assert body["data"][mutation]["errors"] == [], body


async def test_hand_computed_figures_and_the_rebuild_agree(gql, desk, owner_engine, org, platform, stub_worker):
    agent, sup, tech = desk["agent"][1], desk["sup"][1], desk["tech"][1]
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE projects SET households = 500 WHERE id = :p"), {"p": org.projects["P1"]})

    async def new(**over) -> str:
        return (await gql(REGISTER, {"i": case_input(desk, **over)}, token=agent))["data"]["registerCase"]["case"]["id"]

    async def through(c: str, satisfaction: str) -> None:
        await run(gql, agent, "dispatchCase", c, ", assigneeId: $a", a=("ID", desk["tech"][0]))
        for m in ("acceptCase", "startCase"):
            await run(gql, tech, m, c)
        await run(gql, tech, "resolveCase", c, ", result: $r", r=("String!", "已完成"))
        await run(gql, agent, "confirmCase", c)
        await run(gql, agent, "returnVisit", c, f", satisfaction: {satisfaction}, score: 4")

    a, b, c, d, e = await new(), await new(), await new(kind="COMPLAINT", category="noise"), await new(), await new()
    for x in (a, b, c):
        await run(gql, agent, "commitCase", x)
    await through(a, "SATISFIED")
    due = (await gql("query($c: ID!) { case(id: $c) { commitmentDue } }", {"c": b}, token=agent))["data"]["case"]["commitmentDue"]
    later = (datetime.fromisoformat(due) + timedelta(hours=5)).isoformat()
    await run(gql, agent, "missPromise", b, ", apology: $a, reason: $r, remedy: $m, newDue: $d",
              a=("String!", "抱歉"), r=("String!", "缺件"), m=("String!", "免费"), d=("DateTime!", later))
    await through(b, "BASICALLY_SATISFIED")  # kept to its new promise, but late: the first was broken
    await run(gql, agent, "reportUndispatchable", c, ", reason: $r", r=("String!", "全员外出"))
    await run(gql, sup, "cancelCase", d, ", reason: $r", r=("String!", "重复登记"))
    await run(gql, agent, "requestDecline", e, ", reason: $r", r=("String!", "超出范围"))
    body = await gql("mutation($c: ID!, $r: WrittenReplyInput!) { approveDecline(caseId: $c, reply: $r) { errors { code } } }",
                     {"c": e, "r": {"reason": "不在服务范围", "basis": "合同第三条", "alternatives": ["搬家公司"]}}, token=sup)
    assert body["data"]["approveDecline"]["errors"] == []
    await settle(platform, stub_worker)

    admin = await gql.login(org)
    view = (await gql(OVERVIEW, token=admin))["data"]["orgOverview"]
    assert view["totals"] == {"received": 5, "responseRate": 1.0, "resolutionRate": 2 / 3, "satisfactionRate": 1.0,
                              "firstContactRate": 1.0, "returnVisitRate": 1.0, "onTimeRate": 0.5, "complaintsPer1000": 2.0,
                              "brokenPromises": 1, "escalations": 1}
    assert (view["open"], view["overdue"], view["breachedToday"]) == (1, 0, 0)
    p1 = next(p for p in view["projects"] if p["project"]["code"] == "P1")
    assert p1 == {"project": {"code": "P1"}, "open": 1, "month": {"received": 5, "resolutionRate": 2 / 3}}
    p2 = next(p for p in view["projects"] if p["project"]["code"] == "P2")
    assert p2["month"] == {"received": 0, "resolutionRate": None}, "nothing to measure is null, not 0"

    maintained = await snapshot(owner_engine, org.org_id)
    async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
        await rebuild(conn)
    assert differences(maintained, await snapshot(owner_engine, org.org_id)) == []


async def test_rollups_equal_a_rebuild_after_a_random_stream(owner_engine, org, platform, stub_worker):
    await staffed(owner_engine, org)
    rng = random.Random(11)
    for _ in range(25):
        await tick(platform, org.org_id, rng, moves=4)
    await settle(platform, stub_worker)
    maintained = await snapshot(owner_engine, org.org_id)
    assert len(maintained) >= 2
    async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
        await rebuild(conn)
    assert differences(maintained, await snapshot(owner_engine, org.org_id)) == []


async def test_each_caller_sees_only_their_own_projects(gql, desk, owner_engine, org, other_org, platform, stub_worker):
    await gql(REGISTER, {"i": case_input(desk)}, token=desk["agent"][1])
    await settle(platform, stub_worker)
    outsider = await gql.login(other_org)
    theirs = (await gql(OVERVIEW, token=outsider))["data"]["orgOverview"]
    assert theirs["totals"]["received"] == 0 and theirs["open"] == 0
    assert {p["project"]["code"] for p in theirs["projects"]} == {"P1", "P2"}  # their own two, empty
    await add_user(owner_engine, org, "p2agent", "cs_agent", "P2")
    p2_only = (await gql(OVERVIEW, token=await gql.login(org, "p2agent")))["data"]["orgOverview"]
    assert [p["project"]["code"] for p in p2_only["projects"]] == ["P2"] and p2_only["totals"]["received"] == 0
    ours = (await gql(OVERVIEW, token=desk["agent"][1]))["data"]["orgOverview"]
    assert ours["totals"]["received"] == 1


async def fee_months(owner_engine, org, platform) -> None:
    """收缴率 of P1: this month 1/3 of 30000 fen collected, last month 2 of 3 bills paid (a rate
    with no round figure either way); P2 billed nothing (null)."""
    this_month = datetime.now(CHINA).date().replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    flats = await add_flats(owner_engine, org, "P1", [100.0, 80.0, 60.0])
    ids = {"o": org.org_id, "p": org.projects["P1"], "u": flats[0], "i": uuid.uuid4(), "pay": uuid.uuid4()}
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO charge_items (org_id, project_id, id, code, name, kind, basis, starts_on) "
                                "VALUES (:o, :p, :i, 'YCX', '一次性', 'one_off', 'one_off', '2020-01-01')"), ids)
        await conn.execute(text("INSERT INTO payments (org_id, project_id, id, unit_id, amount_fen, method, receipt_no, paid_at, "
                                "recorded_by) VALUES (:o, :p, :pay, :u, 30000, 'cash', 'SJ-P1-X-0001', now(), 'user:x')"), ids)
        for flat, period, amount, paid in ((0, this_month, 30000, 10000), (0, last_month, 7001, 7001),
                                           (1, last_month, 7002, 7002), (2, last_month, 9997, 5997)):
            bill = uuid.uuid4()
            await conn.execute(text(
                "INSERT INTO bills (org_id, project_id, id, unit_id, charge_item_id, period, period_end, due_on, amount_fen, "
                "paid_fen, source, note) VALUES (:o, :p, :b, :u, :i, :m, :m, :m, :a, :paid, 'one_off', :n)"),
                {**ids, "u": flats[flat], "b": bill, "m": period, "a": amount, "paid": paid, "n": str(bill)})
            await conn.execute(text("INSERT INTO payment_allocations (org_id, project_id, payment_id, bill_id, amount_fen) "
                                    "VALUES (:o, :p, :pay, :b, :paid)"), {**ids, "b": bill, "paid": paid})
    async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
        await rebuild_fees(conn, org.org_id)


async def call_months(owner_engine, org, platform) -> None:
    """话务 of P1: this month 3 calls offered, 2 answered, 1 of them within three rings of 5 s; last
    month 1 offered, answered; P2 none (null rates). Rows straight in, the months rebuilt."""
    this_month = datetime.now(CHINA).replace(day=1, hour=9, minute=0, second=0, microsecond=0)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    ids = {"o": org.org_id, "p": org.projects["P1"], "i": uuid.uuid4()}
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO telephony_integrations (org_id, project_id, id, name, secret_enc, ring_seconds, created_by) "
                                "VALUES (:o, :p, :i, '呼叫中心', '\\x00', 5, 'user:x')"), ids)
        for n, (queued, wait) in enumerate(((this_month, 4), (this_month, 40), (this_month, None), (last_month, 2))):
            answered = queued + timedelta(seconds=wait) if wait is not None else None
            await conn.execute(text(
                "INSERT INTO call_records (org_id, project_id, integration_id, external_id, direction, caller_phone_hash, "
                "caller_phone_masked, queued_at, answered_at, ended_at, abandoned) VALUES (:o, :p, :i, :x, 'in', '\\x01', "
                "'138****8000', :q, :a, :e, :abandoned)"), {**ids, "x": f"CTI-{n}", "q": queued, "a": answered,
                                                          "e": queued + timedelta(minutes=5), "abandoned": answered is None})
    async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
        await rebuild_calls(conn, org.org_id)


FULL_OVERVIEW = """query($m: Date) { orgOverview(month: $m) { __typename month open overdue breachedToday
  totals { received responseRate resolutionRate satisfactionRate firstContactRate returnVisitRate onTimeRate averageHandlingHours
           complaintsPer1000 brokenPromises escalations collectionRate calls callsAnswered callsWithinThreeRings answerRate
           threeRingRate __typename }
  alerts { red orange yellow blue __typename } previousTotals { received resolutionRate complaintsPer1000 collectionRate calls answerRate }
  scoredAt
  projects { __typename open overdue breachedToday
             project { id code name city address households propertyType propertyTypeLabel createdAt provisionedAt
                       workOpens workCloses __typename }
             m: month { received r: resolutionRate satisfactionRate c: collectionRate } month { received }
             a: month { calls answerRate t: threeRingRate callsWithinThreeRings }
             alerts { red yellow } previousMonth { received onTimeRate collectionRate answerRate callsAnswered }
             score standardScore rank trend archiveAccuracy } } }"""


async def test_the_compiled_overview_answers_exactly_as_strawberry(gql, desk, org, owner_engine, platform, stub_worker, client):
    import httpx

    from api.app import create_app
    from api.graphql.compiled.document import plan_for

    ids = [(await gql(REGISTER, {"i": case_input(desk, kind=kind)}, token=desk["agent"][1]))["data"]["registerCase"]["case"]["id"]
           for kind in ("REPAIR", "COMPLAINT", "REQUEST")]
    await run(gql, desk["agent"][1], "commitCase", ids[0])
    await run(gql, desk["sup"][1], "cancelCase", ids[2], ", reason: $r", r=("String!", "重复"))
    async with owner_engine.begin() as conn:  # households, so that complaints per 1,000 has a value
        await conn.execute(text("UPDATE projects SET households = 300 WHERE id = :p"), {"p": org.projects["P1"]})
    async with owner_engine.begin() as conn:  # an alert not yet resolved
        await conn.execute(text("INSERT INTO alerts (org_id, project_id, rule, scope_key, colour, title, detail, case_ids) "
                                "VALUES (:o, :p, 'risk_words', 'case:x', 'red', '风险词', '媒体', '{}')"),
                           {"o": org.org_id, "p": org.projects["P1"]})
    # 档案准确率 of P1 — the desk's flat (no area, nobody in it) and one without its area among six:
    # 1 − 2/6, no round number; P2's never computed (null).
    archive = Archive(owner_engine, org, "P1")
    for number in ("1", "4", "5", "6"):
        await archive.unit(number, vacant=True)
    await archive.unit("2", area=None, vacant=True)
    await computed(platform, org, beijing_today(), org.projects["P1"])
    await fee_months(owner_engine, org, platform)
    await call_months(owner_engine, org, platform)
    await settle(platform, stub_worker)
    await sweep(platform)  # scores, standard scores and ranks
    admin = await gql.login(org)
    assert plan_for(FULL_OVERVIEW) is not None
    assert plan_for("{ orgOverview { projects { project { departments { name } } } } }") is None, "unknown fields go to strawberry"
    slow_app = create_app(platform, None, instrument=False, compiled=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=slow_app), base_url="http://test") as slow:
        this_month = datetime.now(CHINA).date().replace(day=1)
        next_month = (this_month + timedelta(days=32)).replace(day=1).isoformat()  # this month is then the previous one
        for variables in ({}, {"m": "2026-11-15"}, {"m": "1999-01-01"}, {"m": next_month}):
            body = {"query": FULL_OVERVIEW, "variables": variables}
            headers = {"authorization": f"Bearer {admin}"}
            fast = await client.post("/graphql", json=body, headers=headers)
            reference = await slow.post("/graphql", json=body, headers=headers)
            # Same keys in the same order and equal values (PostgreSQL prints the float 1.0 as 1: the same JSON number).
            assert json.loads(fast.text, object_pairs_hook=list) == json.loads(reference.text, object_pairs_hook=list), \
                (fast.text[:600], reference.text[:600])
    ahead = (await gql(FULL_OVERVIEW, {"m": next_month}, token=admin))["data"]["orgOverview"]
    assert ahead["previousTotals"]["received"] == 3 and ahead["alerts"]["red"] == 1, "the comparison covered real numbers"
    now = (await gql(FULL_OVERVIEW, {}, token=admin))["data"]["orgOverview"]
    assert next(p for p in now["projects"] if p["project"]["code"] == "P1")["rank"] == 1 and now["scoredAt"]
    assert [p["archiveAccuracy"] for p in now["projects"]] == [1 - 2 / 6, None]
    # The accuracy as last computed, whatever the month shown (like open and overdue).
    assert [p["archiveAccuracy"] for p in ahead["projects"]] == [1 - 2 / 6, None]
    totals = now["totals"]
    figures = (totals["received"], totals["responseRate"], totals["resolutionRate"], totals["complaintsPer1000"])
    assert figures == (3, 1.0, 0.0, 1 / 300 * 1000)
    assert (totals["collectionRate"], now["previousTotals"]["collectionRate"]) == (10000 / 30000, 20000 / 24000)
    assert [(p["m"]["c"], p["previousMonth"]["collectionRate"]) for p in now["projects"]] == [(10000 / 30000, 20000 / 24000),
                                                                                              (None, None)]
    assert ahead["previousTotals"]["collectionRate"] == 10000 / 30000
    assert (totals["calls"], totals["answerRate"], totals["threeRingRate"]) == (3, 2 / 3, 1 / 2)
    assert [(p["a"]["answerRate"], p["previousMonth"]["answerRate"]) for p in now["projects"]] == [(2 / 3, 1.0), (None, None)]
    assert (ahead["previousTotals"]["calls"], ahead["previousTotals"]["answerRate"]) == (3, 2 / 3)
