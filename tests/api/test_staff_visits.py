"""投诉回访员工 (docs/centre-day.md §7): on a complaint, someone other than the person complained
about records a return visit to them, beside the resident's own; the case shows it. A request is
not a complaint; nobody visits themselves; another company's or project's case is not found."""

from __future__ import annotations

from sqlalchemy import text

from api.graphql.types.node import from_global_id, to_global_id
from domain.cases.staff_visit_repository import by_case
from tests.api.conftest import REGISTER, case_input, desk, read_as  # noqa: F401 — fixture
from tests.conftest import add_user

VISIT = """mutation($c: ID!, $u: ID!, $o: StaffVisitOutcome!, $n: String!, $k: String) {
  recordStaffVisit(caseId: $c, userId: $u, outcome: $o, note: $n, idempotencyKey: $k) {
    staffVisit { id outcome outcomeLabel note staff { username } } errors { code field message } } }"""
CASE = "query($c: ID!) { case(id: $c) { staffVisits { outcomeLabel note staff { username } } } }"


async def _case(gql, desk, kind: str) -> str:  # noqa: F811
    reply = await gql(REGISTER, {"i": case_input(desk, kind=kind)}, token=desk["agent"][1])
    return reply["data"]["registerCase"]["case"]["id"]


def _errors(reply) -> list:
    assert "errors" not in reply, reply
    return reply["data"]["recordStaffVisit"]["errors"]


async def test_a_complaints_staff_is_visited_by_someone_else_and_the_case_shows_it(gql, desk, owner_engine, org):  # noqa: F811
    complaint = await _case(gql, desk, "COMPLAINT")
    tech = desk["tech"][0]
    args = {"c": complaint, "u": tech, "o": "ACKNOWLEDGED", "n": "已与维修工沟通，承认上门迟到", "k": "v1"}
    done = (await gql(VISIT, args, token=desk["sup"][1]))["data"]["recordStaffVisit"]
    assert done["errors"] == [] and done["staffVisit"]["outcomeLabel"] == "已认识问题"
    again = (await gql(VISIT, args, token=desk["sup"][1]))["data"]["recordStaffVisit"]
    assert again["staffVisit"]["id"] == done["staffVisit"]["id"]  # the same key: the same visit
    shown = (await gql(CASE, {"c": complaint}, token=desk["agent"][1]))["data"]["case"]["staffVisits"]
    assert shown == [{"outcomeLabel": "已认识问题", "note": "已与维修工沟通，承认上门迟到", "staff": {"username": "tech"}}]

    # Not on a request; not by the person visited; not of someone outside the project.
    request = await _case(gql, desk, "REQUEST")
    assert [e["code"] for e in _errors(await gql(VISIT, args | {"c": request, "k": None}, token=desk["sup"][1]))] == ["INVALID_STATE"]
    mine = _errors(await gql(VISIT, args | {"u": desk["sup"][0], "k": None}, token=desk["sup"][1]))
    assert [(e["code"], e["field"]) for e in mine] == [("VALIDATION", "userId")]
    elsewhere = await add_user(owner_engine, org, "pm2", "project_manager", "P2")
    outside = _errors(await gql(VISIT, args | {"u": to_global_id("User", elsewhere), "k": None}, token=desk["sup"][1]))
    assert [(e["code"], e["field"]) for e in outside] == [("VALIDATION", "userId")]
    for bad, field in (({"n": " "}, "note"), ({"n": "长" * 1001}, "note")):
        assert [(e["code"], e["field"]) for e in _errors(await gql(VISIT, args | bad | {"k": None}, token=desk["sup"][1]))] == [
            ("VALIDATION", field)]
    async with owner_engine.connect() as conn:
        count = (await conn.execute(text("SELECT count(*) FROM staff_visits WHERE org_id = :o"), {"o": org.org_id})).scalar()
    assert count == 1


async def test_another_company_and_another_project_cannot_see_or_record(gql, desk, owner_engine, platform, org,  # noqa: F811
                                                                          other_org):
    complaint = await _case(gql, desk, "COMPLAINT")
    await gql(VISIT, {"c": complaint, "u": desk["tech"][0], "o": "COACHED", "n": "已培训"}, token=desk["sup"][1])
    case_id = from_global_id(complaint, "Case")
    assert [(r.case_id, r.outcome) for r in await read_as(platform, org, lambda db: by_case(db, [case_id]))] == [(case_id, "coached")]
    assert await read_as(platform, other_org, lambda db: by_case(db, [case_id])) == []
    stranger = await gql.login(other_org)
    await add_user(owner_engine, org, "sup2", "cs_supervisor", "P2")
    other_project = await gql.login(org, "sup2")
    for token in (stranger, other_project):
        errors = _errors(await gql(VISIT, {"c": complaint, "u": desk["tech"][0], "o": "DISPUTED", "n": "x"}, token=token))
        assert [(e["code"], e["field"]) for e in errors] == [("NOT_FOUND", "caseId")]
        assert (await gql(CASE, {"c": complaint}, token=token))["data"]["case"] is None
    async with owner_engine.connect() as conn:
        rows = (await conn.execute(text("SELECT outcome FROM staff_visits WHERE case_id = :c"),
                                   {"c": from_global_id(complaint, "Case")})).scalars().all()
    assert rows == ["coached"]
