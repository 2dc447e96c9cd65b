"""档案准确率 through the API (docs/archive.md §7): `archiveAccuracy` per project and day for those
who may read the archive, the offenders behind each count (`residents`/`units` with `problem`),
and the overview's column. Another company's projects and a project out of the caller's reach
answer NOT_FOUND alike; a project in reach without archive:read, FORBIDDEN. Through the real
app, as the application role."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from api.graphql.types.node import to_global_id
from domain.archive.accuracy import Problem, beijing_today
from tests.conftest import add_user
from tests.integration.test_archive_accuracy import Archive, built, computed

ACCURACY = """query($p: ID, $d: Date) { archiveAccuracy(projectId: $p, day: $d) { project { code } day accuracy percentage
  recordsChecked recordsWithProblems checks { problem label count } computedAt } }"""
RESIDENTS = """query($p: ID!, $q: ArchiveProblem) { residents(projectId: $p, filter: {problem: $q}) { totalCount
  edges { node { name } } } }"""
UNITS = """query($p: ID!, $q: ArchiveProblem) { units(projectId: $p, filter: {problem: $q}) { totalCount
  edges { node { number } } } }"""
OVERVIEW = "{ orgOverview { projects { project { code } archiveAccuracy } } }"


async def _setup(gql, owner_engine, org, other_org, platform):
    today = beijing_today()
    await built(owner_engine, org, today)
    await computed(platform, org, today)
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    # A project manager of P1 who is only a technician in P2: P2 in reach, its archive not.
    mixed = await add_user(owner_engine, org, "mixed", "project_manager", "P1")
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO role_assignments (org_id, user_id, role, project_id) VALUES (:o, :u, 'technician', :p)"),
                           {"o": org.org_id, "u": mixed, "p": org.projects["P2"]})
    await add_user(owner_engine, org, "tech2", "technician", "P2")
    return {"admin": await gql.login(org), "pm": await gql.login(org, "pm1"), "mixed": await gql.login(org, "mixed"),
            "tech": await gql.login(org, "tech2"), "stranger": await gql.login(other_org),
            "p1": to_global_id("Project", org.projects["P1"]), "p2": to_global_id("Project", org.projects["P2"]),
            "today": today}


def _code(body) -> str:
    return body["errors"][0]["extensions"]["code"]


async def test_accuracy_per_project_and_day_with_each_checks_count(gql, owner_engine, org, other_org, platform):
    s = await _setup(gql, owner_engine, org, other_org, platform)
    body = await gql(ACCURACY, token=s["admin"])
    rows = body["data"]["archiveAccuracy"]
    assert [r["project"]["code"] for r in rows] == ["P1", "P2"]
    p1 = rows[0]
    assert (p1["day"], p1["recordsChecked"], p1["recordsWithProblems"]) == (s["today"].isoformat(), 15, 8)
    assert p1["accuracy"] == 1 - 8 / 15 and p1["percentage"] == (1 - 8 / 15) * 100
    assert [(c["problem"], c["count"]) for c in p1["checks"]] == [
        ("NO_PHONE", 1), ("OWNER_NO_ID", 1), ("NO_MOVE_IN", 1), ("UNIT_UNACCOUNTED", 1), ("UNIT_NO_AREA", 1),
        ("NOT_VERIFIED", 2), ("VACCINATION_DUE", 2), ("VEHICLE_EXPIRED", 1)]
    assert p1["checks"][0]["label"] == "无联系电话"
    assert (rows[1]["accuracy"], rows[1]["recordsChecked"]) == (0.0, 1)

    # A day never computed: the project is there, with nothing.
    yesterday = (s["today"] - timedelta(days=1)).isoformat()
    none = (await gql(ACCURACY, {"p": s["p1"], "d": yesterday}, token=s["admin"]))["data"]["archiveAccuracy"]
    assert [(r["day"], r["accuracy"], r["recordsChecked"], r["computedAt"]) for r in none] == [(None, None, 0, None)]
    one = (await gql(ACCURACY, {"p": s["p1"], "d": s["today"].isoformat()}, token=s["admin"]))["data"]["archiveAccuracy"]
    assert one == [p1]
    bad = await gql(ACCURACY, {"d": "1999-12-31"}, token=s["admin"])
    assert _code(bad) == "VALIDATION"

    overview = (await gql(OVERVIEW, token=s["admin"]))["data"]["orgOverview"]["projects"]
    assert [(p["project"]["code"], p["archiveAccuracy"]) for p in overview] == [("P1", 1 - 8 / 15), ("P2", 0.0)]


async def test_each_count_lists_its_offenders(gql, owner_engine, org, other_org, platform):
    s = await _setup(gql, owner_engine, org, other_org, platform)
    counts = {c["problem"]: c["count"] for c in (await gql(ACCURACY, {"p": s["p1"]}, token=s["pm"]))
              ["data"]["archiveAccuracy"][0]["checks"]}
    expected = {"NO_PHONE": ["丙"], "OWNER_NO_ID": ["乙"], "NO_MOVE_IN": ["丙"], "NOT_VERIFIED": ["丁", "丙"]}  # by name
    for problem, names in expected.items():
        page = (await gql(RESIDENTS, {"p": s["p1"], "q": problem}, token=s["pm"]))["data"]["residents"]
        assert [e["node"]["name"] for e in page["edges"]] == names and page["totalCount"] == counts[problem], problem
    for problem, numbers in {"UNIT_UNACCOUNTED": ["103"], "UNIT_NO_AREA": ["102"]}.items():
        page = (await gql(UNITS, {"p": s["p1"], "q": problem}, token=s["pm"]))["data"]["units"]
        assert [e["node"]["number"] for e in page["edges"]] == numbers and page["totalCount"] == counts[problem], problem
    everyone = (await gql(RESIDENTS, {"p": s["p1"], "q": None}, token=s["pm"]))["data"]["residents"]
    assert everyone["totalCount"] == 4  # no problem named: those living here now, not the erased 己 (whose stay is open)
    assert (await gql(UNITS, {"p": s["p1"], "q": None}, token=s["pm"]))["data"]["units"]["totalCount"] == 4

    # A check of another kind of record is no filter of this list.
    wrong = await gql(RESIDENTS, {"p": s["p1"], "q": "VACCINATION_DUE"}, token=s["pm"])
    assert _code(wrong) == "VALIDATION" and wrong["errors"][0]["message"].startswith("「VACCINATION_DUE」不是住户的检查项")
    wrong = await gql(UNITS, {"p": s["p1"], "q": "NO_PHONE"}, token=s["pm"])
    assert _code(wrong) == "VALIDATION"
    assert {p.value for p in Problem} >= set(expected)


async def test_other_companies_and_projects_out_of_reach_find_nothing(gql, owner_engine, org, other_org, platform):
    s = await _setup(gql, owner_engine, org, other_org, platform)
    await Archive(owner_engine, other_org, "P1").unit("9", area=None)
    await computed(platform, other_org, s["today"])
    before = (await gql(ACCURACY, token=s["admin"]))["data"]["archiveAccuracy"]

    # Another company: our projects are NOT_FOUND; its own list holds its own projects only.
    for query, variables in ((ACCURACY, {"p": s["p1"]}), (RESIDENTS, {"p": s["p1"], "q": "NO_PHONE"}),
                             (UNITS, {"p": s["p1"], "q": "UNIT_NO_AREA"})):
        body = await gql(query, variables, token=s["stranger"])
        assert body["data"] is None or not any(body["data"].values()), body
        assert _code(body) == "NOT_FOUND"
    theirs = (await gql(ACCURACY, token=s["stranger"]))["data"]["archiveAccuracy"]
    assert [(r["project"]["code"], r["recordsChecked"]) for r in theirs] == [("P1", 1), ("P2", 0)]
    overview = (await gql(OVERVIEW, token=s["stranger"]))["data"]["orgOverview"]["projects"]
    assert [p["archiveAccuracy"] for p in overview] == [0.0, None]  # P2 checked nothing

    # A project manager of P1: P2 is out of reach.
    assert [r["project"]["code"] for r in (await gql(ACCURACY, token=s["pm"]))["data"]["archiveAccuracy"]] == ["P1"]
    for query, variables in ((ACCURACY, {"p": s["p2"]}), (UNITS, {"p": s["p2"], "q": "UNIT_NO_AREA"}),
                             (RESIDENTS, {"p": s["p2"], "q": "NO_PHONE"})):
        assert _code(await gql(query, variables, token=s["pm"])) == "NOT_FOUND"
    # P2 in reach but not its archive: left out of the list, FORBIDDEN by name; a technician alone, FORBIDDEN.
    mixed = (await gql(ACCURACY, token=s["mixed"]))["data"]["archiveAccuracy"]
    assert [r["project"]["code"] for r in mixed] == ["P1"]
    assert _code(await gql(ACCURACY, {"p": s["p2"]}, token=s["mixed"])) == "FORBIDDEN"
    assert _code(await gql(ACCURACY, token=s["tech"])) == "FORBIDDEN"
    assert (await gql(ACCURACY, token=s["admin"]))["data"]["archiveAccuracy"] == before  # nothing changed
