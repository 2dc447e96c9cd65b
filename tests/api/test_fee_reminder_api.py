"""Reminders through the API (docs/resident-services.md §6.6, §6.9), as the application role:
settings, schedules, a person's reminder, holds and their release, and the queries that read them
back; the resident's own reminders. Every query and mutation: another company's ids and another
project's (a project manager of P2) → NOT_FOUND and nothing changed; a caller without the
permission → FORBIDDEN; a resident sees only their own flats' reminders meant for the app."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.api._resident import make_company, token_for
from tests.conftest import add_user
from tests.integration.fees_setup import add_flats
from tests.workers.test_delivery import ADD, SECRET

ERR = "errors { code field message }"
SETTINGS = """mutation($p: ID!, $cap: Int!) { setFeeSettings(projectId: $p, quietFrom: "22:00:00", quietUntil: "07:30:00",
  reminderCapPerMonth: $cap) { feeSettings { quietFrom quietUntil reminderCapPerMonth } %s } }""" % ERR
CREATE = """mutation($p: ID!, $ch: [ID!], $k: String) { createReminderSchedule(projectId: $p, input: {name: "逾期一月",
  minOverdueDays: 30, minAmount: 10000, everyDays: 7, channelIds: $ch}, idempotencyKey: $k)
  { reminderSchedule { id name minOverdueDays minAmount everyDays chargeItemIds channelIds toApp active } %s } }""" % ERR
UPDATE = """mutation($s: ID!) { updateReminderSchedule(scheduleId: $s, input: {everyDays: 14, active: false})
  { reminderSchedule { everyDays active name } %s } }""" % ERR
RECORD = """mutation($u: ID!) { recordFeeReminder(unitId: $u, way: PHONE, note: "业主答应月底缴")
  { feeReminder { way wayLabel overdue overdueYuan oldestDueOn note scheduleName } %s } }""" % ERR
HOLD = """mutation($u: ID!, $until: Date!) { holdFeeReminders(unitId: $u, until: $until, reason: "协商中")
  { feeHold { until reason releasedAt } %s } }""" % ERR
RELEASE = """mutation($u: ID!) { releaseFeeHold(unitId: $u) { feeHold { reason releasedAt } %s } }""" % ERR
READ_SETTINGS = "query($p: ID!) { feeSettings(projectId: $p) { quietFrom reminderCapPerMonth } }"
SCHEDULES = "query($p: ID!) { reminderSchedules(projectId: $p) { name everyDays active } }"
REMINDERS = "query($u: ID!) { feeReminders(unitId: $u) { wayLabel note } }"
READ_HOLD = "query($u: ID!) { feeHold(unitId: $u) { reason until } }"
ARREARS = """query($p: ID!) { arrears(projectId: $p, first: 5) { edges { node { overdue lastReminder { wayLabel sentOn }
  hold { reason } } } } }"""
MINE = "{ residentSelf { reminders(first: 10) { unitId way overdue overdueYuan sentOn } } }"
UNTIL = (date.today() + timedelta(days=30)).isoformat()


@pytest.fixture
async def world(gql, owner_engine, org, other_org):
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    await add_user(owner_engine, org, "pm2", "project_manager", "P2")
    await add_user(owner_engine, org, "agent1", "cs_agent", "P1")
    await add_user(owner_engine, org, "disp1", "dispatcher", "P1")
    [flat] = await add_flats(owner_engine, org, "P1", [100.0])
    async with owner_engine.begin() as conn:
        item = uuid.uuid4()
        await conn.execute(text("INSERT INTO charge_items (org_id, project_id, id, code, name, kind, basis, starts_on) "
                                "VALUES (:o, :p, :i, 'WYF', '物业费', 'property', 'area', '2026-01-01')"),
                           {"o": org.org_id, "p": org.projects["P1"], "i": item})
        await conn.execute(text("INSERT INTO bills (org_id, project_id, unit_id, charge_item_id, period, period_end, due_on, "
                                "amount_fen, source) VALUES (:o, :p, :u, :i, '2026-01-01', '2026-01-31', '2026-01-15', 23500, 'run')"),
                           {"o": org.org_id, "p": org.projects["P1"], "u": flat, "i": item})
    return {"pm": await gql.login(org, "pm1"), "pm2": await gql.login(org, "pm2"), "agent": await gql.login(org, "agent1"),
            "disp": await gql.login(org, "disp1"), "stranger": await gql.login(other_org),
            "p1": to_global_id("Project", org.projects["P1"]), "flat": to_global_id("Unit", flat)}


def data(body: dict, field: str) -> dict:
    assert "errors" not in body, body
    return body["data"][field]


async def counts(owner_engine, org) -> tuple:
    async with owner_engine.connect() as conn:
        return tuple((await conn.execute(text(
            "SELECT (SELECT count(*) || ':' || coalesce(max(reminder_cap_per_month), 0) FROM fee_settings WHERE org_id = :o), "
            "(SELECT string_agg(every_days || ':' || active, ',') FROM reminder_schedules WHERE org_id = :o), "
            "(SELECT count(*) FROM fee_reminders WHERE org_id = :o), "
            "(SELECT count(*) || ':' || count(released_at) FROM fee_holds WHERE org_id = :o)"), {"o": org.org_id})).one())


async def test_settings_schedules_records_and_holds(gql, world):
    pm, agent, disp = world["pm"], world["agent"], world["disp"]
    assert data(await gql(READ_SETTINGS, {"p": world["p1"]}, token=disp), "feeSettings") == {
        "quietFrom": "21:00:00", "reminderCapPerMonth": 3}  # the defaults before any setting
    out = data(await gql(SETTINGS, {"p": world["p1"], "cap": 2}, token=pm), "setFeeSettings")
    assert out == {"feeSettings": {"quietFrom": "22:00:00", "quietUntil": "07:30:00", "reminderCapPerMonth": 2}, "errors": []}
    too_many = data(await gql(SETTINGS, {"p": world["p1"], "cap": 11}, token=pm), "setFeeSettings")
    assert (too_many["errors"][0]["code"], too_many["errors"][0]["field"]) == ("VALIDATION", "reminderCapPerMonth")

    made = data(await gql(CREATE, {"p": world["p1"], "k": "s1"}, token=pm), "createReminderSchedule")["reminderSchedule"]
    assert {k: made[k] for k in ("name", "minOverdueDays", "minAmount", "everyDays", "chargeItemIds", "channelIds", "toApp",
                                 "active")} == {"name": "逾期一月", "minOverdueDays": 30, "minAmount": 10000, "everyDays": 7,
                                                "chargeItemIds": None, "channelIds": [], "toApp": True, "active": True}
    again = data(await gql(CREATE, {"p": world["p1"], "k": "s1"}, token=pm), "createReminderSchedule")["reminderSchedule"]
    assert again["id"] == made["id"]  # the key replayed
    changed = data(await gql(UPDATE, {"s": made["id"]}, token=pm), "updateReminderSchedule")
    assert changed == {"reminderSchedule": {"everyDays": 14, "active": False, "name": "逾期一月"}, "errors": []}
    assert data(await gql(SCHEDULES, {"p": world["p1"]}, token=disp), "reminderSchedules") == [
        {"name": "逾期一月", "everyDays": 14, "active": False}]

    rec = data(await gql(RECORD, {"u": world["flat"]}, token=agent), "recordFeeReminder")["feeReminder"]
    assert rec == {"way": "PHONE", "wayLabel": "电话", "overdue": 23500, "overdueYuan": "235.00", "oldestDueOn": "2026-01-15",
                   "note": "业主答应月底缴", "scheduleName": None}
    assert data(await gql(REMINDERS, {"u": world["flat"]}, token=disp), "feeReminders") == [
        {"wayLabel": "电话", "note": "业主答应月底缴"}]
    held = data(await gql(HOLD, {"u": world["flat"], "until": UNTIL}, token=agent), "holdFeeReminders")
    assert held == {"feeHold": {"until": UNTIL, "reason": "协商中", "releasedAt": None}, "errors": []}
    past = data(await gql(HOLD, {"u": world["flat"], "until": "2020-01-01"}, token=agent), "holdFeeReminders")
    assert (past["errors"][0]["code"], past["errors"][0]["field"]) == ("VALIDATION", "until")
    assert data(await gql(READ_HOLD, {"u": world["flat"]}, token=disp), "feeHold") == {"reason": "协商中", "until": UNTIL}
    [row] = data(await gql(ARREARS, {"p": world["p1"]}, token=disp), "arrears")["edges"]
    assert (row["node"]["lastReminder"]["wayLabel"], row["node"]["hold"]) == ("电话", {"reason": "协商中"})
    released = data(await gql(RELEASE, {"u": world["flat"]}, token=agent), "releaseFeeHold")["feeHold"]
    assert released["reason"] == "协商中" and released["releasedAt"] is not None
    assert data(await gql(READ_HOLD, {"u": world["flat"]}, token=disp), "feeHold") is None


async def test_without_the_permission_it_is_forbidden(gql, world, owner_engine, org):
    before = await counts(owner_engine, org)
    for query, args, field, token in ((SETTINGS, {"p": world["p1"], "cap": 2}, "setFeeSettings", "agent"),
                                      (CREATE, {"p": world["p1"]}, "createReminderSchedule", "agent"),
                                      (RECORD, {"u": world["flat"]}, "recordFeeReminder", "disp"),
                                      (HOLD, {"u": world["flat"], "until": UNTIL}, "holdFeeReminders", "disp"),
                                      (RELEASE, {"u": world["flat"]}, "releaseFeeHold", "disp")):
        body = await gql(query, args, token=world[token])
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", (field, body)
    assert await counts(owner_engine, org) == before


@pytest.mark.parametrize("who", ["stranger", "pm2"])
async def test_another_companys_or_projects_ids_are_not_found(gql, world, owner_engine, org, who):
    schedule = data(await gql(CREATE, {"p": world["p1"]}, token=world["pm"]), "createReminderSchedule")["reminderSchedule"]["id"]
    before = await counts(owner_engine, org)
    token = world[who]
    for query, args, field in ((SETTINGS, {"p": world["p1"], "cap": 2}, "setFeeSettings"),
                               (CREATE, {"p": world["p1"]}, "createReminderSchedule"),
                               (UPDATE, {"s": schedule}, "updateReminderSchedule"),
                               (RECORD, {"u": world["flat"]}, "recordFeeReminder"),
                               (HOLD, {"u": world["flat"], "until": UNTIL}, "holdFeeReminders"),
                               (RELEASE, {"u": world["flat"]}, "releaseFeeHold")):
        body = await gql(query, args, token=token)
        errors = body["errors"] if "errors" in body else body["data"][field]["errors"]
        code = errors[0].get("code") or errors[0]["extensions"]["code"]
        assert code == "NOT_FOUND", (field, body)
    for query, args, field in ((READ_SETTINGS, {"p": world["p1"]}, "feeSettings"),
                               (SCHEDULES, {"p": world["p1"]}, "reminderSchedules"),
                               (REMINDERS, {"u": world["flat"]}, "feeReminders"),
                               (READ_HOLD, {"u": world["flat"]}, "feeHold")):
        body = await gql(query, args, token=token)
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND", (field, body)
    assert await counts(owner_engine, org) == before


async def test_a_resident_sees_only_their_own_flats_reminders_for_the_app(gql, owner_engine, platform):
    a = await make_company(owner_engine, gql, platform.cipher)
    b = await make_company(owner_engine, gql, platform.cipher)
    rows = [(a, "P1", "301", True, 100), (a, "P1", "301", False, 200), (a, "P1", "302", True, 300), (a, "P2", "101", True, 400),
            (b, "P1", "301", True, 500)]
    async with owner_engine.begin() as conn:
        for company, project, unit, to_app, fen in rows:
            await conn.execute(text(
                "INSERT INTO fee_reminders (org_id, project_id, unit_id, way, to_app, overdue_fen, month, sent_on, by) "
                "VALUES (:o, :p, :u, 'phone', :app, :f, date_trunc('month', current_date), current_date, 'user:x')"),
                {"o": company.org.org_id, "p": company.org.projects[project], "u": company.units[unit], "app": to_app, "f": fen})
    mine = data(await gql(MINE, token=await token_for(gql, a)), "residentSelf")["reminders"]
    assert [(r["unitId"], r["overdue"], r["overdueYuan"]) for r in mine] == [(a.gid("Unit", "301"), 100, "1.00")]
    assert (await gql(REMINDERS, {"u": a.gid("Unit", "301")}, token=await token_for(gql, a)))["errors"][0]["extensions"][
        "code"] == "FORBIDDEN"  # a resident's token against a staff field


async def test_reminder_batches_go_to_webhooks_only_and_schedules_take_the_companys_channels(gql, world, org):
    admin = await gql.login(org)
    refused = data(await gql(ADD, {"i": {"kind": "WECOM", "name": "x", "target": "http://127.0.0.1:9/w?key=k",
                                         "topics": ["fee.reminders"]}}, token=admin), "addDeliveryChannel")
    assert [e["field"] for e in refused["errors"]] == ["topics"]  # ids for programs, not words for people
    bridge = data(await gql(ADD, {"i": {"kind": "WEBHOOK", "name": "短信桥", "target": "http://127.0.0.1:9/bridge",
                                        "secret": SECRET, "topics": ["fee.reminders"]}}, token=admin), "addDeliveryChannel")
    assert bridge["errors"] == []
    made = data(await gql(CREATE, {"p": world["p1"], "ch": [bridge["channel"]["id"]]}, token=world["pm"]),
                "createReminderSchedule")
    assert made["errors"] == [] and made["reminderSchedule"]["channelIds"] == [bridge["channel"]["id"]]
