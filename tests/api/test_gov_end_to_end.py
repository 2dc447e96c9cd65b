"""A 12345 order end to end, with a real loopback HTTP server as the government's callback
receiver and the real delivery worker: it arrives signed, becomes a gov_12345 case committed to
the government's deadline, is dispatched, accepted, started and resolved, answered back (progress,
then the result) within its deadline — signed callbacks the receiver verifies — evaluated by the
government, and counted in the three rates. Then a late order, a returned one and an unanswered
one move the rates exactly as the formulas say."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import text

from api.graphql.types.node import to_global_id
from domain.notifications.signing import verify_webhook
from tests.api._gov import ANSWER, ORDERS, RATES, add_bridge, order, post
from tests.conftest import add_user
from tests.workers.test_delivery import Receiver, pump

STEP = "mutation($c: ID!%s) { %s { case { state } errors { code message } } }"


async def step(gql, token, call: str, case_id: str, assignee: str | None = None) -> None:
    declared, variables = (", $a: ID", {"c": case_id, "a": assignee}) if assignee else ("", {"c": case_id})
    body = await gql(STEP % (declared, call), variables, token=token)
    name = call.split("(")[0]
    assert body["data"][name]["errors"] == [], body


async def answer(gql, token, order_id: str, kind: str, **args) -> dict:
    body = (await gql(ANSWER, {"o": order_id, "kind": kind, **args}, token=token))["data"]["answerGovOrder"]
    assert body["errors"] == [], body
    return body["order"]


async def work_through(gql, sup, tech, tech_id, case_id: str) -> None:
    await step(gql, sup, "dispatchCase(caseId: $c, assigneeId: $a)", case_id, tech_id)
    await step(gql, tech, "acceptCase(caseId: $c)", case_id)
    await step(gql, tech, "startCase(caseId: $c)", case_id)


async def rates(gql, token, project: str | None = None) -> dict:
    return (await gql(RATES, {"p": project}, token=token))["data"]["govOrderRates"]


def three(figures: dict) -> tuple:
    return figures["responseRate"], figures["resolutionRate"], figures["satisfactionRate"]


async def test_a_12345_order_end_to_end_and_the_three_rates(gql, client, org, other_org, owner_engine, platform, stub_worker):
    receiver = Receiver(fail_first=0)
    try:
        admin = await gql.login(org)
        agent = await add_user(owner_engine, org, "agent", "cs_agent", "P1")
        await add_user(owner_engine, org, "sup", "cs_supervisor", "P1")
        tech_id = to_global_id("User", await add_user(owner_engine, org, "tech", "technician", "P1"))
        sup, tech = await gql.login(org, "sup"), await gql.login(org, "tech")
        project = to_global_id("Project", org.projects["P1"])
        bridge = await add_bridge(gql, admin, project, to_global_id("User", agent), f"{receiver.url}/cb")

        # It arrives signed and becomes a case committed to the government's deadline.
        arrived = await post(client, bridge, order("BJ-E2E-1", urgency="general"))
        assert arrived.status_code == 200, arrived.text
        [o] = (await gql(ORDERS, {}, token=sup))["data"]["govOrders"]
        case = o["case"]
        assert (case["channel"], case["state"], case["number"]) == ("GOV_12345", "COMMITTED", arrived.json()["case_number"])
        assert datetime.fromisoformat(case["commitmentDue"]) == datetime.fromisoformat(o["resolveDue"])

        # Worked, answered back within its deadline: progress first, the result once resolved.
        await work_through(gql, sup, tech, tech_id, case["id"])
        await answer(gql, sup, o["id"], "PROGRESS", t="维修人员已到场检查线路")
        body = await gql('mutation($c: ID!) { resolveCase(caseId: $c, result: "已更换灯具，恢复照明") { errors { code } } }',
                         {"c": case["id"]}, token=tech)
        assert body["data"]["resolveCase"]["errors"] == []
        done = await answer(gql, sup, o["id"], "RESULT", t="已更换灯具，恢复照明")
        assert (done["status"], done["respondedOnTime"], done["resolvedOnTime"]) == ("ANSWERED", True, True)

        async def both_sent() -> bool:
            async with owner_engine.connect() as conn:
                return (await conn.execute(text(
                    "SELECT count(*) FILTER (WHERE status = 'sent') FROM deliveries WHERE org_id = :o AND purpose = 'gov_callback'"),
                    {"o": org.org_id})).scalar() == 2

        await pump(platform, stub_worker, owner_engine, both_sent)
        calls = receiver.at("/cb")
        assert len(calls) == 2
        for call in calls:
            h = call["headers"]
            assert verify_webhook(bridge["secret"], h["x-firstcall-timestamp"], call["body"], h["x-firstcall-signature"])
        sent = [json.loads(c["body"]) for c in calls]
        assert [(s["topic"], s["data"]["answer"], s["data"]["order_number"], s["data"]["case_number"]) for s in sent] == [
            ("gov_order.answered", "progress", "BJ-E2E-1", case["number"]), ("gov_order.answered", "result", "BJ-E2E-1", case["number"])]
        assert sent[1]["data"]["text"] == "已更换灯具，恢复照明" and datetime.fromisoformat(sent[1]["data"]["at"])
        assert len({c["headers"]["x-firstcall-delivery"] for c in calls}) == 2
        answers = (await gql(ORDERS, {}, token=sup))["data"]["govOrders"][0]["answers"]
        assert [(a["kind"], a["status"], a["attempts"]) for a in answers] == [("progress", "sent", 1), ("result", "sent", 1)]

        # The government evaluates; the rates count it.
        evaluated = await post(client, bridge, {"type": "evaluation", "order_number": "BJ-E2E-1", "evaluation": "satisfied"})
        assert evaluated.status_code == 200 and evaluated.json()["evaluation"] == "satisfied"
        [judged] = (await gql(ORDERS, {}, token=sup))["data"]["govOrders"]
        assert (judged["evaluation"], judged["evaluationLabel"]) == ("satisfied", "满意 Satisfied")
        first = await rates(gql, admin, project)
        assert first["total"]["received"] == 1 and three(first["total"]) == (1.0, 1.0, 1.0)

        # A second order answered late: both of its deadlines passed before we answered.
        assert (await post(client, bridge, order("BJ-E2E-2"))).status_code == 200
        late = next(x for x in (await gql(ORDERS, {}, token=sup))["data"]["govOrders"] if x["orderNumber"] == "BJ-E2E-2")
        assert late["evaluationLabel"] is None
        async with owner_engine.begin() as conn:  # time travel: the government's clock ran out
            await conn.execute(text("UPDATE gov_orders SET response_due = received_at, "
                                    "resolve_due = received_at WHERE org_id = :o AND order_number = 'BJ-E2E-2'"), {"o": org.org_id})
        await work_through(gql, sup, tech, tech_id, late["case"]["id"])
        await answer(gql, sup, late["id"], "PROGRESS", t="已到场")
        await gql('mutation($c: ID!) { resolveCase(caseId: $c, result: "已处理") { errors { code } } }',
                  {"c": late["case"]["id"]}, token=tech)
        overdue = await answer(gql, sup, late["id"], "RESULT", t="已处理")
        assert (overdue["respondedOnTime"], overdue["resolvedOnTime"]) == (False, False)
        await post(client, bridge, {"type": "evaluation", "order_number": "BJ-E2E-2", "evaluation": "dissatisfied"})
        second = await rates(gql, admin, project)
        assert three(second["total"]) == (0.5, 0.5, 0.5)

        # A third returned on time (not judged on resolution), a fourth never answered with its deadlines passed.
        assert (await post(client, bridge, order("BJ-E2E-3"))).status_code == 200
        assert (await post(client, bridge, order("BJ-E2E-4"))).status_code == 200
        by_number = {x["orderNumber"]: x for x in (await gql(ORDERS, {}, token=sup))["data"]["govOrders"]}
        await answer(gql, sup, by_number["BJ-E2E-3"]["id"], "RETURNED", r="属供电公司产权设施")
        async with owner_engine.begin() as conn:
            await conn.execute(text("UPDATE gov_orders SET response_due = received_at, "
                                    "resolve_due = received_at WHERE org_id = :o AND order_number = 'BJ-E2E-4'"), {"o": org.org_id})
        final = await rates(gql, admin, project)
        t = final["total"]
        assert (t["received"], t["responseDue"], t["respondedOnTime"], t["resolveDue"], t["resolvedOnTime"], t["evaluated"],
                t["satisfied"], t["returned"]) == (4, 4, 2, 3, 1, 2, 1, 1)
        assert three(t) == (0.5, 1 / 3, 0.5)

        # Headquarters sees every project and the total; another company counts none of it.
        hq = await rates(gql, admin)
        assert [p["projectCode"] for p in hq["projects"]] == ["P1", "P2"]
        assert hq["projects"][0]["figures"] == t and hq["projects"][1]["figures"]["received"] == 0 and hq["total"] == t
        theirs = await rates(gql, await gql.login(other_org))
        assert theirs["total"]["received"] == 0 and three(theirs["total"]) == (None, None, None)
        foreign = await gql(RATES, {"p": project}, token=await gql.login(other_org))
        assert foreign["errors"][0]["extensions"]["code"] == "NOT_FOUND"

        async def all_sent() -> bool:  # every answer delivered while its receiver is up, not in a later test
            async with owner_engine.connect() as conn:
                return not (await conn.execute(text(
                    "SELECT count(*) FROM deliveries WHERE org_id = :o AND status = 'pending'"), {"o": org.org_id})).scalar()

        await pump(platform, stub_worker, owner_engine, all_sent)
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()
