"""表扬 and 投诉回访员工 in the people's figures (docs/centre-day.md §7): a praise names its staff at
intake and counts for each of them, a complaint's staff return visits count for the person visited,
by outcome; a person with a staff record in a department carries both into its figures; what the
`kpi` consumer kept equals a rebuild from the cases. A praise names only staff of its own project
and company; another company's and another project's callers see none of it."""

from __future__ import annotations

from uuid import uuid4

from sqlalchemy import text

from api.graphql.types.node import from_global_id, to_global_id
from domain.kpi.rollups import rebuild
from tenants.context import TenantScope
from tests.api.conftest import REGISTER, case_input
from tests.api.test_org_overview import differences, settle
from tests.api.test_people_figures import COUNTS, DEPARTMENTS, new, people, person_rows, refused  # noqa: F401 — fixture
from tests.api.test_staff_visits import VISIT
from tests.conftest import add_user

NEW = "praise staffVisits staffVisitsAcknowledged staffVisitsDisputed staffVisitsCoached"
PEOPLE = f"query($p: ID!) {{ peopleFigures(projectId: $p) {{ user {{ username }} {COUNTS} {NEW} }} }}"
PRAISE = "表扬维修工师傅上门及时、态度好"


async def in_department(owner_engine, org, user: str, department: str | None) -> None:
    """The user's staff record, in P1 and the department given."""
    staff = uuid4()
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO staff (org_id, project_id, id, department_id, name) VALUES (:o, :p, :s, :d, :n)"),
                           {"o": org.org_id, "p": org.projects["P1"], "s": staff, "n": "员工",
                            "d": from_global_id(department, "Department") if department else None})
        await conn.execute(text("UPDATE users SET staff_id = :s WHERE id = :u"), {"s": staff, "u": from_global_id(user, "User")})


def _visit(c, case: str, who: str, outcome: str) -> dict:
    return {"c": case, "u": c[who][0], "o": outcome, "n": f"{outcome} 已与员工面谈"}


async def test_praise_and_staff_visits_count_for_their_people_and_equal_a_rebuild(gql, people, owner_engine, org, platform,  # noqa: F811
                                                                                  stub_worker):
    c = people
    agent, sup = c["agent"][1], c["sup"][1]
    await in_department(owner_engine, org, c["tech"][0], c["eng"])
    # One praise names tech and tech2 (tech twice: counted once); another names tech alone.
    await new(gql, c, agent, kind="PRAISE", description=PRAISE, praisedUserIds=[c["tech"][0], c["tech2"][0], c["tech"][0]])
    await new(gql, c, sup, kind="PRAISE", description=PRAISE, praisedUserIds=[c["tech"][0]])
    await new(gql, c, agent, kind="PRAISE", description=PRAISE)  # names no one: counts for no one
    # A complaint about tech: the supervisor hears tech twice, the agent hears tech2 once.
    complaint = await new(gql, c, agent, kind="COMPLAINT", description="投诉维修工迟到两小时")
    for token, who, outcome in ((sup, "tech", "DISPUTED"), (sup, "tech", "COACHED"), (agent, "tech2", "ACKNOWLEDGED")):
        body = (await gql(VISIT, _visit(c, complaint, who, outcome), token=token))["data"]["recordStaffVisit"]
        assert body["errors"] == [], body
    await settle(platform, stub_worker)

    admin = await gql.login(org)
    rows = (await gql(PEOPLE, {"p": c["project"]}, token=admin))["data"]["peopleFigures"]
    got = {r["user"]["username"]: {k: v for k, v in r.items() if k != "user" and v} for r in rows}
    assert got == {
        "tech": {"praise": 2, "staffVisits": 2, "staffVisitsDisputed": 1, "staffVisitsCoached": 1},
        "tech2": {"praise": 1, "staffVisits": 1, "staffVisitsAcknowledged": 1},
        "agent": {"firstReceived": 3},
        "sup": {"firstReceived": 1},
    }, rows
    # tech's staff record is in engineering: the department has their praise and visits; tech2 has none.
    departments = (await gql(DEPARTMENTS.replace("people", f"people {NEW}"), {"p": c["project"]}, token=admin))
    assert [(d["departmentId"], d["people"], d["praise"], d["staffVisits"], d["staffVisitsDisputed"])
            for d in departments["data"]["departmentFigures"]] == [(c["eng"], 1, 2, 2, 1)]

    # What the consumer kept, event by event, is what a rebuild from the cases gives.
    maintained = await person_rows(owner_engine, org.org_id)
    assert {(k[2], k[3]): (v["praise"], v["staff_visits"]) for k, v in maintained.items() if v["praise"] or v["staff_visits"]} == {
        (from_global_id(c["tech"][0], "User"), from_global_id(c["eng"], "Department")): (2, 2),
        (from_global_id(c["tech2"][0], "User"), None): (1, 1)}
    async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
        await rebuild(conn)
    assert differences(maintained, await person_rows(owner_engine, org.org_id)) == []


async def test_a_praise_names_staff_of_its_own_project_and_company_only(gql, people, owner_engine, org, other_org, platform,  # noqa: F811
                                                                        stub_worker):
    c = people
    agent = c["agent"][1]

    async def refusal(token, **over) -> list:
        body = (await gql(REGISTER, {"i": case_input(c, **over)}, token=token))["data"]["registerCase"]
        assert body["case"] is None, body
        return [(e["code"], e["field"]) for e in body["errors"]]

    # Not on another kind; not more than 20 people.
    assert await refusal(agent, kind="REQUEST", praisedUserIds=[c["tech"][0]]) == [("VALIDATION", "praisedUserIds")]
    many = [to_global_id("User", uuid4()) for _ in range(21)]
    assert await refusal(agent, kind="PRAISE", praisedUserIds=many) == [("VALIDATION", "praisedUserIds")]
    # Another project's person (pm2 of P2) and another company's are not staff of P1.
    assert await refusal(agent, kind="PRAISE", praisedUserIds=[c["pm2"][0]]) == [("VALIDATION", "praisedUserIds")]
    foreign = to_global_id("User", await add_user(owner_engine, other_org, "outsider", "technician", "P1"))
    assert await refusal(agent, kind="PRAISE", praisedUserIds=[foreign]) == [("VALIDATION", "praisedUserIds")]
    # P2's agent and another company's admin cannot praise into P1 at all.
    for token in (c["agent2"][1], c["stranger"]):
        assert await refusal(token, kind="PRAISE", praisedUserIds=[c["tech"][0]]) == [("NOT_FOUND", "projectId")]
    # P2's agent praises P1's technician in P2: not their project's staff.
    assert await refusal(c["agent2"][1], kind="PRAISE", projectId=c["p2"], unitId=None, publicArea="大堂",
                         praisedUserIds=[c["tech"][0]]) == [("VALIDATION", "praisedUserIds")]
    async with owner_engine.connect() as conn:
        named = (await conn.execute(text("SELECT count(*) FROM cases WHERE org_id = :o AND praised_user_ids <> '{}'"),
                                    {"o": org.org_id})).scalar()
    assert named == 0

    await new(gql, c, agent, kind="PRAISE", description=PRAISE, praisedUserIds=[c["tech"][0]])
    await settle(platform, stub_worker)
    admin = await gql.login(org)
    assert [(r["user"]["username"], r["praise"]) for r in (await gql(PEOPLE, {"p": c["project"]}, token=admin))["data"][
        "peopleFigures"]] == [("agent", 0), ("tech", 1)]
    # Another company's admin and P2's manager: P1's figures are not found; P2's have nothing of P1's praise.
    for token in (c["stranger"], c["pm2"][1]):
        assert refused(await gql(PEOPLE, {"p": c["project"]}, token=token), "peopleFigures") == "NOT_FOUND"
    assert (await gql(PEOPLE, {"p": c["p2"]}, token=c["pm2"][1]))["data"]["peopleFigures"] == []
