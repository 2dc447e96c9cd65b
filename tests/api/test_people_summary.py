"""月度小结 人员考核、部门考核、巡查与隐患 (docs/centre-day.md §7): a small month of people's rows,
staffing, patrol runs and hazards, counted by hand, on the printed page and in the workbook of a
project and of the company; a technician (no staff:read) sees no one named; another company's
month never appears."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta

from domain.sla.calendar import CHINA

from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.api.test_monthly_summary import BOOK, PAGE, auth, read_xlsx
from tests.conftest import add_user

MONTH = "2025-02"


def beijing(at: str) -> datetime:
    return datetime.fromisoformat(at).replace(tzinfo=CHINA)


async def month_of(owner_engine, org, scale: int = 1) -> dict[str, uuid.UUID]:
    """P1 in February 2025 (Beijing): two people, a department, staffing, four runs due (one
    cancelled, one in March), five hazards (one in January). `scale` multiplies the counts so
    another company's figures are told apart."""
    tech = await add_user(owner_engine, org, f"tech{scale}x", "technician", "P1")
    agent = await add_user(owner_engine, org, f"agent{scale}x", "cs_agent", "P1")
    ids = {"o": org.org_id, "p": org.projects["P1"], "u": org.admin_id}
    async with owner_engine.begin() as conn:
        x = conn.execute
        eng = (await x(text("SELECT id FROM departments WHERE project_id = :p AND kind = 'engineering'"), ids)).scalar_one()
        await x(text("UPDATE projects SET households = 500 WHERE id = :p"), ids)
        person = ("INSERT INTO kpi_person_month (org_id, project_id, month, user_id, department_id, first_received, handled, "
                  "resolved, resolved_on_time, visited, satisfied, basically_satisfied, dissatisfied, broken_promises, rework, "
                  "visits_done, praise, staff_visits, staff_visits_disputed) "
                  "VALUES (:o, :p, '2025-02-01', :user, :d, :fr, :h, :r, :rot, :v, :s, :bs, :ds, :bp, :rw, :vd, :pr, :sv, :svd)")
        zero = dict.fromkeys(("fr", "h", "r", "rot", "v", "s", "bs", "ds", "bp", "rw", "vd", "pr", "sv", "svd"), 0)
        await x(text(person), {**ids, **zero, "user": tech, "d": eng, "h": 4 * scale, "r": 3 * scale, "rot": 2 * scale,
                               "v": 2 * scale, "s": scale, "bs": scale, "bp": scale, "rw": scale, "pr": 2 * scale,
                               "sv": 3 * scale, "svd": scale})
        await x(text(person), {**ids, **zero, "user": agent, "d": None, "fr": 5 * scale, "vd": 2 * scale})
        await x(text("INSERT INTO project_staffing (org_id, project_id, month, headcount, labour_cost_fen, other_cost_fen, by) "
                     "VALUES (:o, :p, '2025-02-01', :h, 300000, 100000, 'user:x')"), {**ids, "h": 4 * scale})
        ids["r"] = (await x(text("INSERT INTO patrol_routes (org_id, project_id, name, kind, created_by) "
                                 "VALUES (:o, :p, '消防巡查', 'safety', 'user:x') RETURNING id"), ids)).scalar()
        ids["pl"] = (await x(text(
            "INSERT INTO patrol_plans (org_id, project_id, route_id, assignee_user_id, cadence, window_start, window_minutes, "
            "starts_on, created_by) VALUES (:o, :p, :r, :u, 'daily', '09:00', 60, '2025-01-01', 'user:x') RETURNING id"),
            ids)).scalar()
        # Beijing days: 1 February 00:30 is 31 January 16:30 UTC; 1 March 00:30 is March's.
        for n, (due, state) in enumerate([("2025-02-01 00:30", "done"), ("2025-02-10 09:00", "done"), ("2025-02-11 09:00", "missed"),
                                          ("2025-02-12 09:00", "cancelled"), ("2025-03-01 00:30", "missed")]):
            for k in range(scale):
                await x(text("INSERT INTO patrol_runs (org_id, project_id, plan_id, route_id, due_from, due_until, state, "
                             "points_total, cancelled_at) VALUES (:o, :p, :pl, :r, :due, CAST(:due AS timestamptz) + interval '1 hour', "
                             ":s, 1, CASE WHEN :s = 'cancelled' THEN CAST(:due AS timestamptz) END)"),
                        {**ids, "due": beijing(due) + timedelta(minutes=n * 100 + k), "s": state})
        hazards = [  # grade, found, deadline, rectified, state
            ("major", "2025-02-03", "2025-02-04", "2025-02-03", "verified"),
            ("major", "2025-02-05", "2025-02-06", "2025-02-08", "rectified"),
            ("general", "2025-02-10", "2025-02-17", None, "open"),
            ("low", "2025-02-20", "2025-03-20", None, "accepted"),
            ("general", "2025-01-20", "2025-01-27", None, "open"),
        ]
        for n, (grade, found, deadline, rectified, state) in enumerate(hazards * scale):
            await x(text("INSERT INTO hazards (org_id, project_id, number, source, title, category, grade, owner_user_id, deadline, "
                         "state, rectified_at, reported_by, created_at) VALUES (:o, :p, :num, 'report', '隐患', 'fire', :g, :u, "
                         ":dl, :st, :rf, 'user:x', :f)"),
                    {**ids, "num": f"YH-{scale}-{n}", "g": grade, "dl": beijing(f"{deadline} 12:00"), "st": state,
                     "rf": beijing(f"{rectified} 12:00") if rectified else None, "f": beijing(f"{found} 12:00")})
    return {"tech": tech, "agent": agent}


def rows(page: str) -> list[list[str]]:
    return [re.findall(r"<td>([^<]*)</td>", r) for r in re.findall(r"<tr>((?:<td>[^<]*</td>)+)</tr>", page)]


async def test_the_people_and_safety_sections_by_hand(gql, owner_engine, org, other_org, client):
    await month_of(owner_engine, org)
    await month_of(owner_engine, other_org, scale=7)
    async with owner_engine.begin() as conn:  # P2's one hazard: in the company's figures, never in P1's
        await conn.execute(text(
            "INSERT INTO hazards (org_id, project_id, number, source, title, category, grade, deadline, reported_by, created_at) "
            "VALUES (:o, :p, 'YH-P2', 'report', '隐患', 'gas', 'major', :at, 'user:x', :at)"),
            {"o": org.org_id, "p": org.projects["P2"], "at": beijing("2025-02-14 12:00")})
    admin, tech = await gql.login(org), await gql.login(org, "tech1x")
    p1 = to_global_id("Project", org.projects["P1"])

    page = (await client.get(PAGE, params={"month": MONTH, "project": p1}, headers=auth(admin))).text
    table = rows(page)
    # … then 表扬, 投诉回访员工 and those disputed.
    assert ["tech1x", "0", "0", "4", "3", "75.0%", "66.7%", "100.0%", "1", "1", "0", "2", "3", "1"] in table
    assert ["agent1x", "5", "0", "0", "0", "—", "—", "—", "0", "0", "2", "0", "0", "0"] in table
    assert any(r[0] != "tech1x" and r[1:] == ["1", "4", "3", "75.0%", "66.7%", "100.0%", "1", "1", "2", "3", "1"]
               for r in table), "the department"
    assert ["3", "2", "1", "66.7%"] in table, "runs due, done, missed: the cancelled and March's not counted"
    assert ["重大 Major", "2", "1", "1"] in table and ["一般 General", "1", "0", "1"] in table and ["低 Low", "1", "0", "0"] in table
    assert ["合计 Total", "4", "1", "2"] in table, "January's hazard is not February's"
    assert ["4", "500", "4,000.00", "8.00", "125.00"] in table, "户均成本 4,000 yuan / 500; 人均 500 / 4"

    book = read_xlsx((await client.get(BOOK, params={"month": MONTH, "project": p1}, headers=auth(admin))).content)
    people = book["人员考核 People"]
    line = next(k[1:] for k, v in people.items() if v == "tech1x")
    assert (people[f"D{line}"], people[f"F{line}"]) == (4.0, 0.75), "counts and rates are numbers"
    assert (people[f"L{line}"], people[f"M{line}"], people[f"N{line}"]) == (2.0, 3.0, 1.0), "praise, staff visits, disputed"
    safety = book["巡查与隐患 Patrols & hazards"]
    got = {v: safety[f"B{k[1:]}"] for k, v in safety.items() if k[0] == "A" and f"B{k[1:]}" in safety}
    assert {"应巡 Runs due": 3.0, "漏巡 Missed": 1.0, "隐患合计 Hazards total": 4.0, "户均成本（元）Cost per household": 8.0,
            "人均服务户数 Households per head": 125.0}.items() <= got.items()

    # Headquarters' company summary: one row per project with anything to report, and the total.
    company = rows((await client.get(PAGE, params={"month": MONTH}, headers=auth(admin))).text)
    mine = [r for r in company if r[0].endswith("（P1）") and len(r) == 10]
    assert mine == [[mine[0][0], "3", "2", "1", "66.7%", "4", "1", "2", "8.00", "125.00"]]
    two = [r for r in company if r[0].endswith("（P2）") and len(r) == 10]
    assert two == [[two[0][0], "0", "0", "0", "—", "1", "0", "1", "—", "—"]]
    assert ["合计 Total", "3", "2", "1", "66.7%", "5", "1", "3", "8.00", "125.00"] in company
    sheet = read_xlsx((await client.get(BOOK, params={"month": MONTH}, headers=auth(admin))).content)["巡查与隐患 Patrols & hazards"]
    assert sorted(v for k, v in sheet.items() if k[0] == "F" and k != "F1") == [1.0, 4.0, 5.0]

    # A technician of P1 reads the project's summary (project:read) but not its people (staff:read).
    theirs = (await client.get(PAGE, params={"month": MONTH, "project": p1}, headers=auth(tech))).text
    assert "tech1x" not in theirs and "人员考核" not in theirs and "巡查与隐患" in theirs
    assert ["3", "2", "1", "66.7%"] in rows(theirs)

    # Another company's month, seven times ours, shows only its own; ours never in theirs.
    outsider = await gql.login(other_org)
    other = rows((await client.get(PAGE, params={"month": MONTH}, headers=auth(outsider))).text)
    assert ["合计 Total", "21", "14", "7", "66.7%", "28", "7", "14", "8.00", "17.86"] in other
    assert ["合计 Total", "3", "2", "1", "66.7%", "4", "1", "2", "8.00", "125.00"] not in other
    refused = await client.get(PAGE, params={"month": MONTH, "project": p1}, headers=auth(outsider))
    assert refused.status_code == 404 and "tech1x" not in refused.text
