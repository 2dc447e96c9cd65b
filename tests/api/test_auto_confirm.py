"""自动确认: resolved cases whose resident stayed silent past the silence are confirmed by the
sweep, marked automatic, with their audit row and event; nothing else moves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from api.graphql.types.node import from_global_id
from tests.api.conftest import REGISTER, case_input
from workers.auto_confirm import sweep

STEP = "mutation($c: ID!) { %s(caseId: $c) { case { state } errors { code message } } }"


async def _resolved(gql, desk) -> str:
    agent, sup, (tech_id, tech) = desk["agent"][1], desk["sup"][1], desk["tech"]
    case_id = (await gql(REGISTER, {"i": case_input(desk)}, token=agent))["data"]["registerCase"]["case"]["id"]
    await gql(STEP % "commitCase", {"c": case_id}, token=sup)
    await gql("mutation($c: ID!, $a: ID) { dispatchCase(caseId: $c, assigneeId: $a) { errors { code } } }",
              {"c": case_id, "a": tech_id}, token=sup)
    for step in ("acceptCase", "startCase"):
        assert (await gql(STEP % step, {"c": case_id}, token=tech))["data"][step]["errors"] == []
    body = await gql('mutation($c: ID!) { resolveCase(caseId: $c, result: "已搬完") { case { state } errors { code } } }',
                     {"c": case_id}, token=tech)
    assert body["data"]["resolveCase"]["case"]["state"] == "RESOLVED"
    return case_id


async def _resolved_ago(owner_engine, case_id: str, hours: float) -> None:
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE cases SET resolved_at = now() - make_interval(secs => :s) WHERE id = :id"),
                           {"s": hours * 3600, "id": from_global_id(case_id, "Case")})


async def _row(owner_engine, case_id: str):
    async with owner_engine.connect() as conn:
        return (await conn.execute(text(
            "SELECT state, auto_confirmed, confirmed_at, "
            "(SELECT count(*) FROM audit_log a WHERE a.entity_id = c.id AND a.action = 'case.confirmed') AS audits, "
            "(SELECT count(*) FROM outbox o WHERE o.payload->>'case_id' = c.id::text AND o.topic = 'case.confirmed') AS events "
            "FROM cases c WHERE id = :id"), {"id": from_global_id(case_id, "Case")})).one()


async def test_silent_cases_are_confirmed_once_and_marked_automatic(platform, gql, desk, owner_engine):
    silent, recent = await _resolved(gql, desk), await _resolved(gql, desk)
    await _resolved_ago(owner_engine, silent, 49)
    await _resolved_ago(owner_engine, recent, 47)
    assert await sweep(platform) >= 1
    row = await _row(owner_engine, silent)
    assert (row.state, row.auto_confirmed, row.audits, row.events) == ("confirmed", True, 1, 1)
    assert (await _row(owner_engine, recent)).state == "resolved"  # the resident still has an hour
    # Nothing is confirmed twice: a second sweep finds nothing of these.
    await sweep(platform)
    assert (await _row(owner_engine, silent)).audits == 1
    timeline = await gql("query($c: ID!) { caseTimeline(caseId: $c) { action actor } }", {"c": silent}, token=desk["sup"][1])
    assert timeline["data"]["caseTimeline"][-1]["action"] == "case.confirmed"


async def test_each_company_is_swept_inside_its_own_wall(platform, gql, desk, owner_engine, org):
    case_id = await _resolved(gql, desk)
    await _resolved_ago(owner_engine, case_id, 72)
    later = datetime.now(UTC) + timedelta(hours=1)
    await sweep(platform, now=later)
    async with owner_engine.connect() as conn:
        actors = (await conn.execute(text("SELECT DISTINCT org_id, actor FROM audit_log WHERE action = 'case.confirmed' "
                                          "AND entity_id = :id"), {"id": from_global_id(case_id, "Case")})).all()
    assert [(a.org_id, a.actor) for a in actors] == [(org.org_id, "system")]  # no person: the rule itself
