"""POST /bridge/12345/{id} against the real app and database: an order becomes a committed
gov_12345 case on the government's deadline; forged, stale, replayed, duplicate, unknown and bad
requests are refused or answered once, with codes; city deadlines apply; and one company's bridge
never reaches another company."""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta

from sqlalchemy import event, text

from api.graphql.types.node import from_global_id, to_global_id
from tests.api._gov import ORDERS, add_bridge, order, post
from tests.conftest import add_user

CASE_SLA = "query($c: ID!) { case(id: $c) { sla { targets { target dueAt } } } }"
SET_CITY = ("mutation($c: String!, $d: [GovCityDeadlineInput!]!) { setGovCityDeadlines(city: $c, deadlines: $d) { "
            "deadlines { urgency responseMinutes resolveMinutes isDefault } errors { code field message } } }")


async def counts(owner_engine, org) -> tuple[int, int]:
    async with owner_engine.connect() as conn:
        return (await conn.execute(text("SELECT (SELECT count(*) FROM gov_orders WHERE org_id = :o), "
                                        "(SELECT count(*) FROM cases WHERE org_id = :o)"), {"o": org.org_id})).one()


async def bridge_of(gql, org, owner_engine, project: str = "P1", url: str = "http://127.0.0.1:9/cb") -> tuple[str, dict]:
    receiver = await add_user(owner_engine, org, f"agent{uuid.uuid4().hex[:6]}", "cs_agent", project)
    admin = await gql.login(org)
    return admin, await add_bridge(gql, admin, to_global_id("Project", org.projects[project]), to_global_id("User", receiver), url)


def error(r) -> tuple[int, str, str]:
    e = r.json()["errors"][0]
    return r.status_code, e["extensions"]["code"], e["message"]


async def test_an_order_becomes_a_committed_gov_12345_case_on_the_governments_deadline(gql, client, org, owner_engine, platform):
    admin, bridge = await bridge_of(gql, org, owner_engine)
    r = await post(client, bridge, order())
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["duplicate"] is False and answer["case_number"].startswith("GD-P1-")
    received = datetime.fromisoformat(answer["resolve_due"]) - timedelta(hours=24)
    assert abs((received - datetime.now(received.tzinfo)).total_seconds()) < 60, "a 'day' order: 24 hours"

    [o] = (await gql(ORDERS, {}, token=admin))["data"]["govOrders"]
    assert (o["orderNumber"], o["status"], o["urgency"], o["requesterName"], o["requesterPhone"]) == (
        "BJ-2026-0001", "RECEIVED", "DAY", "李女士", "138****8000")
    assert datetime.fromisoformat(o["resolveDue"]) == datetime.fromisoformat(answer["resolve_due"])
    case = o["case"]
    assert (case["number"], case["channel"], case["state"], case["kind"], case["severity"]) == (
        answer["case_number"], "GOV_12345", "COMMITTED", "REQUEST", "MAJOR")
    assert datetime.fromisoformat(case["commitmentDue"]) == datetime.fromisoformat(o["resolveDue"])
    targets = {t["target"]: t["dueAt"] for t in (await gql(CASE_SLA, {"c": case["id"]}, token=admin))["data"]["case"]["sla"]["targets"]}
    assert datetime.fromisoformat(targets["resolve"]) == datetime.fromisoformat(o["resolveDue"]), "the resolution clock is the government's"

    async with owner_engine.connect() as conn:
        stored = (await conn.execute(text("SELECT requester_phone_enc FROM gov_orders WHERE org_id = :o"), {"o": org.org_id})).scalar()
        event = (await conn.execute(text("SELECT payload FROM outbox WHERE org_id = :o AND topic = 'gov_order.received'"),
                                    {"o": org.org_id})).scalar_one()
        receiver = (await conn.execute(text("SELECT first_receiver_id FROM cases WHERE org_id = :o"), {"o": org.org_id})).scalar()
    assert b"13800138000" not in stored and platform.cipher.decrypt(stored) == "13800138000"
    assert event["order_number"] == "BJ-2026-0001" and event["urgency"] == "day" and "BJ-2026-0001" in event["summary"]
    assert event["case_id"] == str(from_global_id(case["id"], "Case"))
    assert str(receiver) == str(from_global_id((await gql("{ govBridges { receiver { id } } }", token=admin))["data"]["govBridges"][0]
                                               ["receiver"]["id"], "User")), "首问: the bridge's receiver"

    # A complaint through 12345 starts at L3's attention (DESIGN §4), from the bridge's wall too.
    assert (await post(client, bridge, order("BJ-2026-0002", kind="complaint", urgency="urgent"))).status_code == 200
    complaint = next(x for x in (await gql(ORDERS, {}, token=admin))["data"]["govOrders"] if x["orderNumber"] == "BJ-2026-0002")
    assert (complaint["case"]["kind"], complaint["case"]["severity"]) == ("COMPLAINT", "EMERGENCY")
    levels = (await gql("query($c: ID!) { case(id: $c) { escalations { level reason } } }", {"c": complaint["case"]["id"]},
                        token=admin))["data"]["case"]["escalations"]
    assert levels == [{"level": "l3", "reason": "skip_level"}]


async def test_forged_stale_replayed_duplicate_unknown_and_bad_requests(gql, client, org, owner_engine):
    admin, bridge = await bridge_of(gql, org, owner_engine)
    forged = await post(client, bridge, order(), secret="not-the-secret")
    assert error(forged)[:2] == (401, "UNAUTHENTICATED")
    stale = await post(client, bridge, order(), timestamp=int(time.time()) - 600)
    assert error(stale)[:2] == (401, "UNAUTHENTICATED")
    unsigned = await client.post(bridge["inboundPath"], json=order(), headers={"x-firstcall-delivery": "dlv-unsigned-1"})
    assert error(unsigned)[:2] == (401, "UNAUTHENTICATED")
    assert await counts(owner_engine, org) == (0, 0), "nothing created"

    first = await post(client, bridge, order(), delivery="dlv-0001-first")
    again = await post(client, bridge, order(), delivery="dlv-0001-first")
    assert again.status_code == 200 and again.json() == {**first.json(), "duplicate": True}
    assert await counts(owner_engine, org) == (1, 1), "a replay changes nothing"
    twice = await post(client, bridge, order(content="再次派发"), delivery="dlv-0001-second")
    assert error(twice)[:2] == (409, "CONFLICT") and "BJ-2026-0001" in error(twice)[2]
    assert await counts(owner_engine, org) == (1, 1)

    assert error(await post(client, {**bridge, "inboundPath": f"/bridge/12345/{uuid.uuid4()}"}, order("X-1")))[:2] == (404, "NOT_FOUND")
    assert error(await post(client, {**bridge, "inboundPath": "/bridge/12345/not-a-uuid"}, order("X-1")))[:2] == (404, "NOT_FOUND")
    assert error(await post(client, bridge, b"{not json"))[:2] == (400, "BAD_REQUEST")
    assert error(await post(client, bridge, b"[1, 2]"))[:2] == (400, "BAD_REQUEST")
    for bad, field in ((order("X-2", category=None), "category"), (order("X-3", urgency="asap"), "urgency"),
                       (order("X-4", content=""), "content"), ({"type": "order"}, "order_number"),
                       (order("X-5", deadline="next week"), "deadline"), ({"type": "complaint"}, "type"),
                       ({"type": "evaluation", "order_number": "BJ-2026-0001", "evaluation": "great"}, "evaluation")):
        status, code, message = error(await post(client, bridge, bad))
        english = message.rsplit("。", 1)[-1]  # after the Chinese sentence, if there is one
        assert (status, code) == (400, "VALIDATION") and english.startswith(field), (bad, message)
    not_yet = await post(client, bridge, {"type": "evaluation", "order_number": "BJ-2026-0001", "evaluation": "satisfied"})
    assert error(not_yet)[:2] == (400, "INVALID_STATE"), "nothing answered yet, nothing to evaluate"
    unknown = await post(client, bridge, {"type": "evaluation", "order_number": "NO-SUCH", "evaluation": "satisfied"})
    assert error(unknown)[:2] == (404, "NOT_FOUND")
    assert await counts(owner_engine, org) == (1, 1), "bad input loses nothing and makes nothing"

    off = await gql("mutation($b: ID!) { setGovBridgeActive(bridgeId: $b, active: false) { bridge { active } errors { code } } }",
                    {"b": bridge["id"]}, token=admin)
    assert off["data"]["setGovBridgeActive"]["bridge"]["active"] is False
    assert error(await post(client, bridge, order("X-6")))[:2] == (403, "FORBIDDEN")


async def test_city_deadlines_change_the_computed_ones_and_an_orders_own_deadline_stays(gql, client, org, owner_engine):
    admin, bridge = await bridge_of(gql, org, owner_engine)
    body = await gql(SET_CITY, {"c": "北京市", "d": [{"urgency": "GENERAL", "responseMinutes": 60, "resolveMinutes": 4320}]}, token=admin)
    deadlines = {d["urgency"]: d for d in body["data"]["setGovCityDeadlines"]["deadlines"]}
    assert deadlines["GENERAL"] == {"urgency": "GENERAL", "responseMinutes": 60, "resolveMinutes": 4320, "isDefault": False}
    assert deadlines["URGENT"]["isDefault"] is True and deadlines["URGENT"]["resolveMinutes"] == 120

    computed = (await post(client, bridge, order("C-1", urgency="general"))).json()
    resolve, response = datetime.fromisoformat(computed["resolve_due"]), datetime.fromisoformat(computed["response_due"])
    assert resolve - response == timedelta(minutes=4320 - 60), "3 days and 1 hour from the same moment"
    assert abs((resolve - datetime.now(resolve.tzinfo) - timedelta(days=3)).total_seconds()) < 60
    day = (await post(client, bridge, order("C-2", urgency="day"))).json()
    assert abs((datetime.fromisoformat(day["resolve_due"]) - datetime.now(resolve.tzinfo) - timedelta(hours=24)).total_seconds()) < 60

    own = (datetime.now(resolve.tzinfo) + timedelta(days=10)).replace(microsecond=0)
    kept = (await post(client, bridge, order("C-3", urgency="general", deadline=own.isoformat()))).json()
    assert datetime.fromisoformat(kept["resolve_due"]) == own, "the government's deadline wins"

    for bad, field in (([{"urgency": "DAY", "responseMinutes": 100, "resolveMinutes": 50}], "deadlines"),
                       ([{"urgency": "DAY", "responseMinutes": 1, "resolveMinutes": 5}] * 2, "deadlines")):
        errors = (await gql(SET_CITY, {"c": "北京市", "d": bad}, token=admin))["data"]["setGovCityDeadlines"]["errors"]
        assert [(e["code"], e["field"]) for e in errors] == [("VALIDATION", field)]
    # Company-wide only: a project manager holds the permission on a project, not for the company.
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    pm = await gql.login(org, "pm1")
    errors = (await gql(SET_CITY, {"c": "北京市", "d": []}, token=pm))["data"]["setGovCityDeadlines"]["errors"]
    assert [e["code"] for e in errors] == ["FORBIDDEN"]
    assert len((await gql('{ govCityDeadlines { city urgency } }', token=admin))["data"]["govCityDeadlines"]) == 1


async def test_one_companys_bridge_never_reaches_another(gql, client, org, other_org, owner_engine):
    admin_a, bridge_a = await bridge_of(gql, org, owner_engine)
    admin_b, bridge_b = await bridge_of(gql, other_org, owner_engine)
    # B's secret does not open A's bridge; A's path with B's bridge secret is refused before anything is read.
    assert error(await post(client, bridge_a, order("T-1"), secret=bridge_b["secret"]))[:2] == (401, "UNAUTHENTICATED")
    assert (await post(client, bridge_b, order("T-1"))).status_code == 200
    assert await counts(owner_engine, org) == (0, 0) and await counts(owner_engine, other_org) == (1, 1)
    # The same order number in A is A's own order; B's bridge cannot evaluate A's order.
    assert (await post(client, bridge_a, order("T-2"))).status_code == 200
    foreign = await post(client, bridge_b, {"type": "evaluation", "order_number": "T-2", "evaluation": "dissatisfied"})
    assert error(foreign)[:2] == (404, "NOT_FOUND")
    assert [o["orderNumber"] for o in (await gql(ORDERS, {}, token=admin_a))["data"]["govOrders"]] == ["T-2"]
    assert [o["orderNumber"] for o in (await gql(ORDERS, {}, token=admin_b))["data"]["govOrders"]] == ["T-1"]


async def test_an_order_reads_its_bridge_once_and_takes_no_savepoint(gql, client, org, owner_engine, platform):
    """The signed check reads the bridge (secret, city, receiver) in the request's transaction; the
    intake uses that row, and joins the transaction without a savepoint of its own."""
    _, bridge = await bridge_of(gql, org, owner_engine)
    sent: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        sent.append(statement)

    event.listen(platform.engine.sync_engine, "before_cursor_execute", count)
    try:
        r = await post(client, bridge, order())
    finally:
        event.remove(platform.engine.sync_engine, "before_cursor_execute", count)
    assert r.status_code == 200, r.text
    assert len([s for s in sent if "FROM gov_bridges" in s]) == 1, [s for s in sent if "gov_bridges" in s]
    assert not [s for s in sent if "SAVEPOINT" in s]
