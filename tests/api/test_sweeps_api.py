"""拉网式排查 through the API (docs/centre-day.md §2.3): headquarters drafts a sweep and launches it to
every project; a project records each item — a hazard found goes on the register with the sweep as
its source — and submits once every item has a result; the completion board shows headquarters
every project and a project its own; a part not submitted in time climbs the ladder. Another
company's ids are NOT_FOUND, another project's part is out of reach."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from api.graphql.types.node import from_global_id, to_global_id
from tests.conftest import add_user
from workers.sla_scanner import fire_items_due

SWEEP = "sweep { id title state checklist { code categoryLabel } projectIds progress { projectName state itemsChecked late } }"
FIELDS = f"{SWEEP} hazard {{ id number source sourceId grade state }} errors {{ code field message }}"
CREATE = f"mutation($i: CreateSweepInput!) {{ createSweep(input: $i) {{ {FIELDS} }} }}"
LAUNCH = f"mutation($s: ID!) {{ launchSweep(sweepId: $s) {{ {FIELDS} }} }}"
RECORD = f"""mutation($s: ID!, $p: ID!, $c: String!, $r: SweepResult!, $h: SweepHazardInput) {{
  recordSweepResult(sweepId: $s, projectId: $p, itemCode: $c, result: $r, hazard: $h) {{ {FIELDS} }} }}"""
SUBMIT = f"mutation($s: ID!, $p: ID!) {{ submitSweep(sweepId: $s, projectId: $p) {{ {FIELDS} }} }}"
PROGRESS = """query($s: ID!) { sweepProgress(sweepId: $s) { projectId projectName state itemsChecked hazardsMajor
  hazardsGeneral late } }"""
LIST = "{ sweeps { id title } }"
NODE = "query($s: ID!) { node(id: $s) { ... on Sweep { id title } } }"


def later(**kw) -> str:
    return (datetime.now(UTC) + timedelta(**kw)).isoformat()


@pytest.fixture
async def hq(gql, owner_engine, org, other_org):
    users = {}
    for name, role, project in (("hq", "hq_quality", None), ("sup1", "cs_supervisor", "P1"), ("pm2", "project_manager", "P2"),
                                ("tech1", "technician", "P1")):
        users[name] = await add_user(owner_engine, org, name, role, project)
    return {n: await gql.login(org, n) for n in users} | {
        "stranger": await gql.login(other_org), "p1": to_global_id("Project", org.projects["P1"]),
        "p2": to_global_id("Project", org.projects["P2"])}


def sweep_input(**kw):
    return {"title": "燃气安全拉网式排查", "reason": "冬季燃气事故多发", "dueAt": later(days=3),
            "checklist": [{"code": "G1", "text": "燃气表间通风", "category": "GAS"},
                          {"code": "G2", "text": "燃气管道锈蚀", "category": "GAS"},
                          {"code": "F1", "text": "消防通道畅通", "category": "FIRE"}]} | kw


def ok(reply, name):
    assert "errors" not in reply, reply
    assert reply["data"][name]["errors"] == [], reply
    return reply["data"][name]


def refused(reply, name):
    assert "errors" not in reply, reply
    return reply["data"][name]["errors"][0]


async def launched(gql, hq) -> str:
    s = ok(await gql(CREATE, {"i": sweep_input()}, token=hq["hq"]), "createSweep")["sweep"]
    assert s["state"] == "DRAFT" and s["projectIds"] is None and s["progress"] == []
    return ok(await gql(LAUNCH, {"s": s["id"]}, token=hq["hq"]), "launchSweep")["sweep"]["id"]


async def test_launch_record_a_hazard_and_submit(gql, hq, owner_engine, org):
    s = await launched(gql, hq)
    assert refused(await gql(LAUNCH, {"s": s}, token=hq["hq"]), "launchSweep")["code"] == "INVALID_STATE"
    board = (await gql(PROGRESS, {"s": s}, token=hq["hq"]))["data"]["sweepProgress"]
    assert [(b["projectName"], b["state"]) for b in board] == [("项目1", "PENDING"), ("项目2", "PENDING")]
    async with owner_engine.connect() as conn:
        n = (await conn.execute(text("SELECT count(*) FROM item_timers WHERE subject_kind = 'sweep_project' AND org_id = :o"),
                                {"o": org.org_id})).scalar_one()
    assert n == 8  # four rungs for each project's part

    ok(await gql(RECORD, {"s": s, "p": hq["p1"], "c": "G1", "r": "OK"}, token=hq["sup1"]), "recordSweepResult")
    found = {"title": "3号楼燃气管道锈蚀", "category": "GAS", "grade": "MAJOR", "place": "3号楼外立面"}
    r = ok(await gql(RECORD, {"s": s, "p": hq["p1"], "c": "G2", "r": "HAZARD", "h": found}, token=hq["sup1"]), "recordSweepResult")
    assert (r["hazard"]["source"], r["hazard"]["sourceId"], r["hazard"]["state"]) == ("SWEEP", s, "OPEN")
    assert r["hazard"]["number"].startswith("YH-P1-")
    e = refused(await gql(RECORD, {"s": s, "p": hq["p1"], "c": "G2", "r": "OK"}, token=hq["sup1"]), "recordSweepResult")
    assert (e["code"], e["field"]) == ("CONFLICT", "itemCode")
    for v, field in (({"c": "X9", "r": "OK"}, "itemCode"), ({"c": "F1", "r": "HAZARD"}, "hazard"),
                     ({"c": "F1", "r": "OK", "h": found}, "hazard")):
        e = refused(await gql(RECORD, {"s": s, "p": hq["p1"]} | v, token=hq["sup1"]), "recordSweepResult")
        assert (e["code"], e["field"]) == ("VALIDATION", field), v
    e = refused(await gql(SUBMIT, {"s": s, "p": hq["p1"]}, token=hq["sup1"]), "submitSweep")
    assert (e["code"], e["field"]) == ("VALIDATION", "sweepId")  # F1 has no result yet
    ok(await gql(RECORD, {"s": s, "p": hq["p1"], "c": "F1", "r": "NA"}, token=hq["sup1"]), "recordSweepResult")
    ok(await gql(SUBMIT, {"s": s, "p": hq["p1"]}, token=hq["sup1"]), "submitSweep")
    e = refused(await gql(RECORD, {"s": s, "p": hq["p1"], "c": "F1", "r": "OK"}, token=hq["sup1"]), "recordSweepResult")
    assert e["code"] == "INVALID_STATE"

    board = {b["projectName"]: b for b in (await gql(PROGRESS, {"s": s}, token=hq["hq"]))["data"]["sweepProgress"]}
    assert (board["项目1"]["state"], board["项目1"]["itemsChecked"], board["项目1"]["hazardsMajor"]) == ("SUBMITTED", 3, 1)
    assert (board["项目2"]["state"], board["项目2"]["late"]) == ("PENDING", False)
    mine = (await gql(PROGRESS, {"s": s}, token=hq["sup1"]))["data"]["sweepProgress"]
    assert [b["projectName"] for b in mine] == ["项目1"]  # a project sees its own row
    async with owner_engine.connect() as conn:
        left = (await conn.execute(text("SELECT p.code, count(t.*) FILTER (WHERE t.fired_at IS NULL) FROM sweep_projects sp "
                                        "JOIN projects p ON p.id = sp.project_id LEFT JOIN item_timers t ON t.subject_id = sp.id "
                                        "WHERE sp.sweep_id = :s GROUP BY p.code ORDER BY p.code"),
                                   {"s": from_global_id(s, "Sweep")})).all()
        alert = (await conn.execute(text("SELECT colour FROM alerts WHERE rule = 'hazard' AND org_id = :o"),
                                    {"o": org.org_id})).scalar_one()
    assert [tuple(x) for x in left] == [("P1", 0), ("P2", 4)] and alert == "red"


async def test_bad_input_and_who_may(gql, hq):
    for kw, field in (({"checklist": []}, "checklist"), ({"dueAt": later(hours=-1)}, "dueAt"), ({"title": ""}, "title"),
                      ({"checklist": [{"code": "A", "text": "x", "category": "GAS"}] * 2}, "checklist"),
                      ({"projectIds": []}, "projectIds")):
        e = refused(await gql(CREATE, {"i": sweep_input(**kw)}, token=hq["hq"]), "createSweep")
        assert (e["code"], e["field"]) == ("VALIDATION", field), kw
    # A project's people do not launch sweeps, and a technician does not record them.
    r = await gql(CREATE, {"i": sweep_input()}, token=hq["sup1"])
    assert r["data"] is None and r["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    s = await launched(gql, hq)
    r = await gql(RECORD, {"s": s, "p": hq["p1"], "c": "G1", "r": "OK"}, token=hq["tech1"])
    assert r["data"] is None and r["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_another_company_and_another_project_see_and_change_nothing(gql, hq, owner_engine, org):
    s = await launched(gql, hq)
    stranger = hq["stranger"]
    assert (await gql(NODE, {"s": s}, token=stranger))["data"]["node"] is None
    assert (await gql(LIST, token=stranger))["data"]["sweeps"] == []
    r = await gql(PROGRESS, {"s": s}, token=stranger)
    assert r["data"] is None and r["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    e = refused(await gql(CREATE, {"i": sweep_input(projectIds=[hq["p1"]])}, token=stranger), "createSweep")
    assert (e["code"], e["field"]) == ("NOT_FOUND", "projectIds")
    assert refused(await gql(LAUNCH, {"s": s}, token=stranger), "launchSweep")["code"] == "NOT_FOUND"
    for token in (stranger, hq["pm2"]):  # another company's admin; P2's manager on P1's part
        e = refused(await gql(RECORD, {"s": s, "p": hq["p1"], "c": "G1", "r": "OK"}, token=token), "recordSweepResult")
        assert e["code"] == "NOT_FOUND", token
        assert refused(await gql(SUBMIT, {"s": s, "p": hq["p1"]}, token=token), "submitSweep")["code"] == "NOT_FOUND"
    assert [b["projectName"] for b in (await gql(PROGRESS, {"s": s}, token=hq["pm2"]))["data"]["sweepProgress"]] == ["项目2"]
    async with owner_engine.connect() as conn:
        n = (await conn.execute(text("SELECT count(*) FROM sweep_results WHERE org_id = :o"), {"o": org.org_id})).scalar_one()
        states = (await conn.execute(text("SELECT DISTINCT state FROM sweep_projects WHERE org_id = :o"),
                                     {"o": org.org_id})).scalars().all()
    assert (n, states) == (0, ["pending"])


async def test_a_part_not_submitted_in_time_climbs_the_ladder(gql, hq, owner_engine, platform, org):
    s = await launched(gql, hq)
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE item_timers SET due_at = now() - interval '1 second' WHERE subject_kind = 'sweep_project' "
                                "AND level = 'l1' AND project_id = :p"), {"p": org.projects["P2"]})
    await fire_items_due(platform)
    async with owner_engine.connect() as conn:
        fired = (await conn.execute(text("SELECT level, project_id FROM item_escalations WHERE subject_kind = 'sweep_project' "
                                         "AND org_id = :o"), {"o": org.org_id})).all()
    assert [tuple(f) for f in fired] == [("l1", org.projects["P2"])]
    assert s
