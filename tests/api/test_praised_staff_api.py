"""受表扬员工 after intake through the API (docs/centre-day.md §7): `Case.praisedStaff` shows the
people a praise names, `setPraisedStaff` changes them (case:follow_up; a praise only; at most 20
active people of the case's project), and the people's figures of the case's month follow — the
rows the `kpi` consumer keeps equal a rebuild. The same people again write nothing. Another
company's and another project's callers neither see nor change a praise, nor name people of theirs."""

from __future__ import annotations

from uuid import uuid4

from sqlalchemy import text

from api.graphql.types.node import from_global_id, to_global_id
from domain.kpi.rollups import rebuild
from tenants.context import TenantScope
from tests.api.test_org_overview import differences, settle
from tests.api.test_people_figures import new, people, person_rows, refused  # noqa: F401 — fixture
from tests.conftest import add_user

PRAISED = "praisedStaff { id username displayName }"
SET = f"""mutation($c: ID!, $u: [ID!]!, $k: String) {{ setPraisedStaff(caseId: $c, userIds: $u, idempotencyKey: $k) {{
  case {{ id {PRAISED} }} errors {{ code field reason message }} }} }}"""
CASE = f"query($id: ID!) {{ node(id: $id) {{ ... on Case {{ kind {PRAISED} }} }} }}"
FIGURES = "query($p: ID!) { peopleFigures(projectId: $p) { user { username } praise } }"
PRAISE = "表扬维修师傅上门及时"


def names(case: dict | None) -> list[str]:
    assert case is not None
    return [p["username"] for p in case["praisedStaff"]]


async def praise_figures(gql, c, token) -> dict[str, int]:
    rows = (await gql(FIGURES, {"p": c["project"]}, token=token))["data"]["peopleFigures"]
    return {r["user"]["username"]: r["praise"] for r in rows if r["praise"]}


async def audit_rows(owner_engine, case: str) -> int:
    async with owner_engine.connect() as conn:
        return (await conn.execute(text("SELECT count(*) FROM audit_log a JOIN outbox o ON o.org_id = a.org_id AND o.id = a.event_id "
                                        "WHERE a.entity_id = :c AND a.action = 'case.praised_staff_set' "
                                        "AND o.topic = 'case.praised_staff_set'"),
                                   {"c": from_global_id(case, "Case")})).scalar_one()


async def test_praised_staff_changed_after_intake_recount_the_month_as_a_rebuild(gql, people, owner_engine, org, platform,  # noqa: F811
                                                                                 stub_worker):
    c = people
    agent, sup = c["agent"][1], c["sup"][1]
    case = await new(gql, c, agent, kind="PRAISE", description=PRAISE, praisedUserIds=[c["tech"][0]])
    other = await new(gql, c, agent, kind="PRAISE", description=PRAISE, praisedUserIds=[c["tech"][0]])
    repair = await new(gql, c, agent)
    await settle(platform, stub_worker)
    shown = (await gql(CASE, {"id": case}, token=agent))["data"]["node"]
    assert shown["praisedStaff"] == [{"id": c["tech"][0], "username": "tech", "displayName": "tech"}]
    assert names((await gql(CASE, {"id": repair}, token=agent))["data"]["node"]) == []
    admin = await gql.login(org)
    assert await praise_figures(gql, c, admin) == {"tech": 2}

    # The supervisor credits tech2 and themself instead (tech2 named twice: once).
    body = (await gql(SET, {"c": case, "u": [c["tech2"][0], c["sup"][0], c["tech2"][0]], "k": "p-1"}, token=sup))["data"]
    assert body["setPraisedStaff"]["errors"] == [], body
    assert names(body["setPraisedStaff"]["case"]) == ["tech2", "sup"]
    await settle(platform, stub_worker)
    assert await praise_figures(gql, c, admin) == {"tech": 1, "tech2": 1, "sup": 1}
    assert await audit_rows(owner_engine, case) == 1
    # The same people in another order, and the same key again: nothing more written.
    for token, args in ((agent, {"c": case, "u": [c["sup"][0], c["tech2"][0]]}),
                        (sup, {"c": case, "u": [c["tech2"][0], c["sup"][0]], "k": "p-1"})):
        again = (await gql(SET, args, token=token))["data"]["setPraisedStaff"]
        assert again["errors"] == [] and names(again["case"]) == ["tech2", "sup"], again
    assert await audit_rows(owner_engine, case) == 1
    # The other praise names no one now: tech keeps none.
    assert (await gql(SET, {"c": other, "u": []}, token=agent))["data"]["setPraisedStaff"]["errors"] == []
    await settle(platform, stub_worker)
    assert await praise_figures(gql, c, admin) == {"tech2": 1, "sup": 1}

    # What the consumer kept, event by event, is what a rebuild from the cases gives.
    maintained = await person_rows(owner_engine, org.org_id)
    async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
        await rebuild(conn)
    assert differences(maintained, await person_rows(owner_engine, org.org_id)) == []


async def test_refusals_and_another_company_or_project(gql, people, owner_engine, org, other_org, platform, stub_worker):  # noqa: F811
    c = people
    agent, sup = c["agent"][1], c["sup"][1]
    case = await new(gql, c, agent, kind="PRAISE", description=PRAISE, praisedUserIds=[c["tech"][0]])
    repair = await new(gql, c, agent)

    async def refusal(token, case_id=case, users=None) -> tuple:
        body = await gql(SET, {"c": case_id, "u": users if users is not None else [c["tech2"][0]]}, token=token)
        if body.get("data") and body["data"].get("setPraisedStaff"):
            assert body["data"]["setPraisedStaff"]["case"] is None, body
            e = body["data"]["setPraisedStaff"]["errors"][0]
            return e["code"], e["field"], e["reason"]
        return refused(body, "setPraisedStaff"), None, None

    # A technician holds no case:follow_up; a repair names no one; 21 people; a person of P2 or of another company.
    assert await refusal(c["tech"][1]) == ("FORBIDDEN", None, None)
    assert await refusal(sup, repair) == ("INVALID_STATE", "caseId", "NOT_A_PRAISE")
    assert await refusal(sup, users=[to_global_id("User", uuid4()) for _ in range(21)]) == ("VALIDATION", "userIds", None)
    foreign = to_global_id("User", await add_user(owner_engine, other_org, "outsider", "technician", "P1"))
    for who in (c["pm2"][0], foreign):
        assert await refusal(sup, users=[c["tech2"][0], who]) == ("VALIDATION", "userIds", None)
    # P2's agent and another company's admin: P1's praise is not found, to change or to read.
    for token in (c["agent2"][1], c["stranger"]):
        assert await refusal(token) == ("NOT_FOUND", "caseId", None)
        assert (await gql(CASE, {"id": case}, token=token))["data"]["node"] is None
    # The other way round: P2's praise is not found for P1's supervisor; its own agent names P2's people only.
    theirs = await new(gql, c, c["agent2"][1], kind="PRAISE", description=PRAISE, projectId=c["p2"], unitId=None,
                       publicArea="大堂")
    assert await refusal(sup, theirs) == ("NOT_FOUND", "caseId", None)
    assert await refusal(c["agent2"][1], theirs, [c["tech"][0]]) == ("VALIDATION", "userIds", None)
    ok = (await gql(SET, {"c": theirs, "u": [c["pm2"][0]]}, token=c["agent2"][1]))["data"]["setPraisedStaff"]
    assert ok["errors"] == [] and names(ok["case"]) == ["pm2"]
    # Nothing of the refusals was written.
    assert names((await gql(CASE, {"id": case}, token=agent))["data"]["node"]) == ["tech"]
    assert await audit_rows(owner_engine, case) == 0
