"""拉网式排查 edited and closed (docs/centre-day.md §2.3): headquarters edits a draft's checklist, a
launched sweep's title and due time (its open parts' timers planted again), and closes a sweep —
its parts not submitted take no more results and stop climbing the ladder. A project's people
may not; another company's sweep is NOT_FOUND."""

from __future__ import annotations

from sqlalchemy import text

from api.graphql.types.node import from_global_id
from tests.api.test_sweeps_api import CREATE, FIELDS, LAUNCH, PROGRESS, RECORD, SUBMIT, later, launched, ok, refused, sweep_input
from tests.api import test_sweeps_api
from workers.sla_scanner import fire_items_due

UPDATE = f"mutation($i: UpdateSweepInput!) {{ updateSweep(input: $i) {{ {FIELDS} }} }}"
CLOSE = f"mutation($s: ID!, $n: String!) {{ closeSweep(sweepId: $s, note: $n) {{ {FIELDS} }} }}"
hq = test_sweeps_api.hq  # headquarters, P1's supervisor, P2's manager, a technician, another company
SHOWN = "query($s: ID!) { node(id: $s) { ... on Sweep { title state dueAt closedAt closeNote checklist { code } } } }"


async def timers(owner_engine, org):
    async with owner_engine.connect() as conn:
        return (await conn.execute(text(
            "SELECT p.code, count(t.*) FILTER (WHERE t.fired_at IS NULL) AS open, max(t.due_at) FILTER (WHERE t.level = 'l1') AS l1 "
            "FROM sweep_projects sp JOIN projects p ON p.id = sp.project_id LEFT JOIN item_timers t ON t.subject_id = sp.id "
            "WHERE sp.org_id = :o GROUP BY p.code ORDER BY p.code"), {"o": org.org_id})).all()


async def test_a_draft_and_a_launched_sweep_edited(gql, hq, owner_engine, org):
    draft = ok(await gql(CREATE, {"i": sweep_input()}, token=hq["hq"]), "createSweep")["sweep"]["id"]
    s = ok(await gql(UPDATE, {"i": {"sweepId": draft, "title": "燃气与消防排查",
                                    "checklist": [{"code": "G1", "text": "燃气表间通风", "category": "GAS"}]}}, token=hq["hq"]),
           "updateSweep")["sweep"]
    assert (s["title"], [c["code"] for c in s["checklist"]]) == ("燃气与消防排查", ["G1"])
    for bad, field in (({"title": ""}, "title"), ({"dueAt": later(days=100)}, "dueAt"), ({"checklist": []}, "checklist")):
        e = refused(await gql(UPDATE, {"i": {"sweepId": draft} | bad}, token=hq["hq"]), "updateSweep")
        assert (e["code"], e["field"]) == ("VALIDATION", field), bad

    s = await launched(gql, hq)
    e = refused(await gql(UPDATE, {"i": {"sweepId": s, "checklist": [{"code": "X", "text": "x", "category": "GAS"}]}},
                          token=hq["hq"]), "updateSweep")
    assert (e["code"], e["field"]) == ("INVALID_STATE", "checklist")
    first = await timers(owner_engine, org)
    due = later(days=10)
    ok(await gql(UPDATE, {"i": {"sweepId": s, "title": "燃气安全排查（延期）", "dueAt": due}}, token=hq["hq"]), "updateSweep")
    shown = (await gql(SHOWN, {"s": s}, token=hq["sup1"]))["data"]["node"]
    assert shown["title"] == "燃气安全排查（延期）" and len(shown["checklist"]) == 3
    moved = await timers(owner_engine, org)
    assert [r.open for r in moved] == [4, 4] and all(m.l1 > f.l1 for m, f in zip(moved, first, strict=True))
    async with owner_engine.connect() as conn:
        n = (await conn.execute(text("SELECT count(*) FROM audit_log WHERE org_id = :o AND action = 'sweep.updated'"),
                                {"o": org.org_id})).scalar_one()
    assert n == 2


async def test_closing_a_sweep_stops_its_open_parts(gql, hq, owner_engine, org, platform):
    s = await launched(gql, hq)
    for code in ("G1", "G2", "F1"):
        ok(await gql(RECORD, {"s": s, "p": hq["p1"], "c": code, "r": "OK"}, token=hq["sup1"]), "recordSweepResult")
    ok(await gql(SUBMIT, {"s": s, "p": hq["p1"]}, token=hq["sup1"]), "submitSweep")
    r = await gql(CLOSE, {"s": s, "n": "x"}, token=hq["pm2"])  # a project's manager does not close headquarters' sweep
    assert r["data"] is None and r["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    e = refused(await gql(CLOSE, {"s": s, "n": "x" * 501}, token=hq["hq"]), "closeSweep")
    assert (e["code"], e["field"]) == ("VALIDATION", "note")
    closed = ok(await gql(CLOSE, {"s": s, "n": "寒潮过后结束"}, token=hq["hq"]), "closeSweep")["sweep"]
    assert closed["state"] == "CLOSED"
    shown = (await gql(SHOWN, {"s": s}, token=hq["hq"]))["data"]["node"]
    assert shown["closeNote"] == "寒潮过后结束" and shown["closedAt"]
    assert [tuple(r)[:2] for r in await timers(owner_engine, org)] == [("P1", 0), ("P2", 0)]
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE item_timers SET due_at = now() - interval '1 second' WHERE org_id = :o"), {"o": org.org_id})
    await fire_items_due(platform)
    async with owner_engine.connect() as conn:
        fired = (await conn.execute(text("SELECT count(*) FROM item_escalations WHERE subject_kind = 'sweep_project' "
                                         "AND org_id = :o"), {"o": org.org_id})).scalar_one()
    assert fired == 0
    e = refused(await gql(RECORD, {"s": s, "p": hq["p2"], "c": "G1", "r": "OK"}, token=hq["pm2"]), "recordSweepResult")
    assert e["code"] == "INVALID_STATE"
    board = {b["projectName"]: b["state"] for b in (await gql(PROGRESS, {"s": s}, token=hq["hq"]))["data"]["sweepProgress"]}
    assert board == {"项目1": "SUBMITTED", "项目2": "PENDING"}
    for m, v, name in ((CLOSE, {"s": s, "n": ""}, "closeSweep"), (UPDATE, {"i": {"sweepId": s, "title": "x"}}, "updateSweep")):
        assert refused(await gql(m, v, token=hq["hq"]), name)["code"] == "INVALID_STATE"
    # A draft is withdrawn the same way, and never launched.
    draft = ok(await gql(CREATE, {"i": sweep_input()}, token=hq["hq"]), "createSweep")["sweep"]["id"]
    ok(await gql(CLOSE, {"s": draft, "n": ""}, token=hq["hq"]), "closeSweep")
    assert refused(await gql(LAUNCH, {"s": draft}, token=hq["hq"]), "launchSweep")["code"] == "INVALID_STATE"


async def test_another_company_and_a_project_change_nothing(gql, hq, owner_engine, org):
    s = await launched(gql, hq)
    for m, v, name in ((CLOSE, {"s": s, "n": ""}, "closeSweep"), (UPDATE, {"i": {"sweepId": s, "title": "x"}}, "updateSweep")):
        assert refused(await gql(m, v, token=hq["stranger"]), name)["code"] == "NOT_FOUND"
        for who in ("pm2", "sup1"):  # a project's people: sweep:manage is headquarters'
            r = await gql(m, v, token=hq[who])
            assert r["data"] is None and r["errors"][0]["extensions"]["code"] == "FORBIDDEN", (who, name)
    async with owner_engine.connect() as conn:
        row = (await conn.execute(text("SELECT title, state FROM sweeps WHERE id = :s"), {"s": from_global_id(s, "Sweep")})).one()
    assert tuple(row) == ("燃气安全拉网式排查", "launched")
