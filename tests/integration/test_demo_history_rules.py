"""The demo history is something the rules could have produced: each seeded case's audit trail,
replayed command by command through the case aggregate, is allowed at every step and ends where
the case row is; and the records the rules and the SLA ladder derive are there — a referral for
every referred case, an escalation for every level of a target its clock passed, once each,
a skip-level complaint at L3, a dissatisfied visit's rework escalation. Each promise is the one
commitCase would allow, under the policy the live recorder reads (a project's override on its
working-hours clock included)."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import text

from domain.cases.defaults import AUTO_CONFIRM_SILENCE
from domain.cases.model import Actor, Case, WrittenReply
from domain.cases.states import CaseKind, Channel, Satisfaction, Severity
from domain.kpi.rollups import rebuild
from domain.sla.repository import SlaRecorder
from domain.sla.status import SlaState, state
from tenants.context import TenantScope
from firstcall.demo_history import add_history
from tests.conftest import add_user
from tests.integration.test_demo_history import staffed

DAYS = 45
SUPERVISING = ("cs_supervisor", "project_manager", "hq_supervisor", "hq_quality", "org_admin")
LADDER = (("remind", 80), ("l1", 100), ("l2", 150), ("l3", 200))


async def seeded(owner_engine, org) -> datetime:
    await staffed(owner_engine, org)
    await add_user(owner_engine, org, "hq.sup", "hq_supervisor", None)
    async with owner_engine.begin() as conn:
        for project in org.projects.values():
            await conn.execute(text(
                "INSERT INTO outside_bodies (org_id, project_id, kind, name, address, delivery, feedback_days, created_by) "
                "VALUES (:o, :p, 'street_office', :n, '翠湖路1号', 'letter', 5, 'system:test')"),
                {"o": org.org_id, "p": project, "n": f"翠湖街道办事处{str(project)[:4]}"})
        # One project repairs in its working hours, within one working day: its promises follow.
        await conn.execute(text(
            "INSERT INTO sla_policies (org_id, project_id, kind, severity, clock, commit_minutes, arrive_minutes, "
            "resolve_minutes, visit_minutes) VALUES (:o, :p, 'repair', 'general', 'working_hours', 30, 120, 480, 2880)"),
            {"o": org.org_id, "p": next(iter(org.projects.values()))})
    now = datetime.now(UTC)
    assert await add_history(owner_engine, org.org_id, now=now, days=DAYS) > 100
    return now


def _actor(row, supervisors: set[uuid.UUID]) -> Actor | None:
    if not row.actor.startswith("user:"):
        return None
    uid = uuid.UUID(row.actor[5:])
    return Actor(uid, supervisor=uid in supervisors)


def _apply(case: Case | None, row, case_row, actor: Actor | None, policy_due: datetime) -> Case:
    """One audit row as the command that wrote it."""
    d, at, note = row.data, row.at, row.note
    if row.action == "case.received":
        return Case.register(org_id=case_row.org_id, project_id=case_row.project_id, kind=CaseKind(case_row.kind),
                             severity=Severity(case_row.severity), channel=Channel(case_row.channel), receiver=actor,
                             now=at, case_id=case_row.id)
    assert case is not None
    match row.action:
        case "case.committed":
            case.commit(datetime.fromisoformat(d["due"]), default_due=policy_due, actor=actor, now=at)
        case "case.dispatched":
            case.dispatch(assignee_id=d["assignee_id"] and uuid.UUID(d["assignee_id"]),
                          department_id=d["department_id"] and uuid.UUID(d["department_id"]), actor=actor, now=at)
        case "case.accepted":
            case.accept(actor=actor, now=at)
        case "case.started":
            case.start(actor=actor, now=at)
        case "case.paused":
            case.pause(note, actor=actor, now=at)
        case "case.resumed":
            case.resume(actor=actor, now=at)
        case "case.resolved" if d.get("by_referral"):
            case.referral_answered(note, actor=actor, now=at)
        case "case.resolved":
            case.resolve(note, actor=actor, now=at, photos=tuple(d.get("photos", ())))
        case "case.promise_broken":
            case.miss_promise(apology=d["apology"], reason=d["reason"], remedy=d["remedy"],
                              new_due=datetime.fromisoformat(d["new_due"]), actor=actor, now=at)
        case "case.confirmed" if d.get("automatic"):
            case.auto_confirm(now=at, silence=AUTO_CONFIRM_SILENCE)
        case "case.confirmed":
            case.confirm(now=at, actor=actor)
        case "case.reopened":
            case.reject(note, now=at, actor=actor)
        case "case.closed" | "case.rework":
            case.return_visit(Satisfaction(d["satisfaction"]), d["score"], note or "", visitor=actor, now=at)
        case "case.cancelled":
            case.cancel(note, actor=actor, now=at, by_resident=d["by_resident"])
        case "case.decline_requested":
            case.request_decline(note, actor=actor, now=at)
        case "case.declined":
            case.approve_decline(WrittenReply(d["reason"], d["basis"], tuple(d["alternatives"])), actor=actor, now=at)
        case "case.referred":
            case.refer(d["body"], note, actor=actor, now=at)
        case _:
            raise AssertionError(f"the history wrote {row.action}, which no command of the rules writes here")
    return case


async def test_every_seeded_case_replays_through_the_case_rules(platform, owner_engine, org):
    await seeded(owner_engine, org)
    o = {"o": org.org_id}
    async with owner_engine.connect() as conn:
        supervisors = set((await conn.execute(text(
            "SELECT user_id FROM role_assignments WHERE org_id = :o AND role = ANY(:r)"), {**o, "r": list(SUPERVISING)})).scalars())
        cases = {r.id: r for r in await conn.execute(text("SELECT * FROM cases WHERE org_id = :o"), o)}
        trails = defaultdict(list)
        for r in await conn.execute(text(
                "SELECT entity_id, at, actor, action, from_state, to_state, note, data FROM audit_log "
                "WHERE org_id = :o AND entity = 'case' ORDER BY at, id"), o):
            trails[r.entity_id].append(r)
    assert set(trails) == set(cases)
    async with platform.transaction(TenantScope(org_id=org.org_id)) as conn:  # as commitCase reads it
        policy_due = {c.id: await SlaRecorder(conn).policy_deadline(SimpleNamespace(
            org_id=c.org_id, project_id=c.project_id, kind=CaseKind(c.kind), severity=Severity(c.severity),
            received_at=c.received_at))
            for c in cases.values()}
    for case_id, rows in trails.items():
        c, case = cases[case_id], None
        for row in rows:
            row = SimpleNamespace(**row._asdict())
            row.data = row.data if isinstance(row.data, dict) else json.loads(row.data)
            try:
                case = _apply(case, row, c, _actor(row, supervisors), policy_due[case_id])
            except Exception as e:
                raise AssertionError(f"{c.number}: {row.action} at {row.at} is not allowed: {e}") from e
            t = case.transitions[-1]
            assert (t.topic, t.from_state and t.from_state.value, t.to_state.value) == (row.action, row.from_state, row.to_state)
        assert (case.state.value, case.commitment_due, case.broken_promises, case.reopen_count, case.resolved_at) == \
            (c.state, c.commitment_due, c.broken_promises, c.reopen_count, c.resolved_at), c.number


async def test_seeded_cases_carry_the_records_their_history_derives(owner_engine, org):
    now = await seeded(owner_engine, org)
    o = {"o": org.org_id}
    async with owner_engine.connect() as conn:
        # Every referred case has its referral, sent when the case was referred and answered when
        # the body's outcome resolved it; a referral still open waits for the sweep.
        missing = (await conn.execute(text(
            "SELECT count(*) FROM audit_log a WHERE a.org_id = :o AND a.action = 'case.referred' AND NOT EXISTS ("
            "  SELECT 1 FROM referrals r JOIN referral_updates u ON u.referral_id = r.id AND u.kind = 'sent' AND u.at = a.at "
            "  WHERE r.case_id = a.entity_id AND r.created_at = a.at AND (r.status = 'answered') = EXISTS ("
            "    SELECT 1 FROM audit_log b WHERE b.entity_id = a.entity_id AND b.action = 'case.resolved' "
            "    AND (b.data ->> 'by_referral')::boolean AND b.at = r.answered_at)"
            "  AND (r.status = 'answered' OR r.next_check_at = r.due_at))"), o)).scalar()
        referred = (await conn.execute(text("SELECT count(*) FROM audit_log WHERE org_id = :o AND action = 'case.referred'"), o)).scalar()
        assert referred > 0 and missing == 0
        # A case that is finished has no clock left running (an arrival met by the body's answer too).
        running = (await conn.execute(text(
            "SELECT count(*) FROM case_targets t JOIN cases c ON c.id = t.case_id WHERE t.org_id = :o AND t.met_at IS NULL "
            "AND c.state IN ('resolved', 'confirmed', 'closed', 'cancelled', 'declined') "
            "AND NOT (t.target = 'visit' AND c.state = 'confirmed')"), o)).scalar()
        assert running == 0
        # Each level of each target fired once at most, and only when the target's clock had passed it.
        twice = (await conn.execute(text(
            "SELECT count(*) FROM (SELECT 1 FROM escalations WHERE org_id = :o AND reason = 'timer' "
            "GROUP BY case_id, target, round, level HAVING count(*) > 1) t"), o)).scalar()
        assert twice == 0
        # A promise broken only after its deadline had passed: L1 had fired at that deadline.
        late = (await conn.execute(text(
            "SELECT count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM escalations e WHERE e.case_id = a.entity_id "
            "  AND e.target = 'resolve' AND e.level = 'l1' AND e.due_at = (a.data ->> 'old_due')::timestamptz)), count(*) "
            "FROM audit_log a WHERE a.org_id = :o AND a.action = 'case.promise_broken' "
            "AND a.at > (a.data ->> 'old_due')::timestamptz"), o)).one()
        assert late[0] == 0 and late[1] > 0
        # A broken promise is missed for good, as `missPromise` records it: the resolution target of
        # the round it was broken in carries the first break, and reads met late or breached, never met.
        broken = list(await conn.execute(text(
            "SELECT c.number, b.at AS broken, t.started_at, t.due_at, t.met_at, t.closed_by, t.paused_at, t.broken_at "
            "FROM cases c JOIN LATERAL (SELECT a.at, (SELECT count(*) FROM audit_log r WHERE r.entity_id = c.id "
            "    AND r.action IN ('case.reopened', 'case.rework') AND r.at < a.at) AS round FROM audit_log a "
            "  WHERE a.entity_id = c.id AND a.action = 'case.promise_broken' ORDER BY a.at LIMIT 1) b ON true "
            "LEFT JOIN case_targets t ON t.case_id = c.id AND t.target = 'resolve' AND t.round = b.round "
            "WHERE c.org_id = :o AND c.broken_promises > 0"), o))
        assert broken
        for t in broken:
            read = state(started_at=t.started_at, due_at=t.due_at, met_at=t.met_at, closed_by=t.closed_by,
                         paused_at=t.paused_at, now=now, broken_at=t.broken_at)
            assert (t.broken_at, read) == (t.broken, SlaState.MET_LATE if t.met_at else SlaState.BREACHED), t.number
        # The project's working-hours override has its clock on the targets it sets.
        assert (await conn.execute(text(
            "SELECT count(*) FROM case_targets WHERE org_id = :o AND clock = 'working_hours'"), o)).scalar() > 0
        # Where a target's clock ran round the clock and never stopped nor moved, its escalations are
        # exactly the ladder's levels it passed.
        targets = list(await conn.execute(text(
            "SELECT t.case_id, t.target, t.round, t.started_at, t.budget_minutes, coalesce(t.met_at, :now) AS ended, t.closed_by "
            "FROM case_targets t WHERE t.org_id = :o AND t.clock = 'always' AND t.paused_minutes = 0 AND t.paused_at IS NULL "
            "AND NOT EXISTS ("
            "  SELECT 1 FROM audit_log a WHERE a.entity_id = t.case_id "
            "  AND a.action IN ('case.paused', 'case.referred', 'case.promise_broken'))"),
            {**o, "now": now}))
        fired = defaultdict(set)
        for r in await conn.execute(text(
                "SELECT case_id, target, round, level, due_at, fired_at FROM escalations WHERE org_id = :o AND reason = 'timer'"), o):
            assert r.fired_at >= r.due_at
            fired[(r.case_id, r.target, r.round)].add(r.level)
        for t in targets:
            passed = {level for level, pct in LADDER
                      if t.started_at + timedelta(minutes=t.budget_minutes * pct / 100) <= t.ended}
            assert fired[(t.case_id, t.target, t.round)] == passed, (t, fired[(t.case_id, t.target, t.round)])
        breached = sum(1 for t in targets if t.closed_by in (None, "met")
                       and t.started_at + timedelta(minutes=t.budget_minutes) < t.ended)
        assert breached > 0, "the history has breaches, and each has its L1"
        # Immediate escalations: a dissatisfied visit's rework, a complaint over the project's head.
        unescalated = (await conn.execute(text(
            "SELECT count(*) FROM audit_log a WHERE a.org_id = :o AND a.action = 'case.rework' AND NOT EXISTS ("
            "  SELECT 1 FROM escalations e WHERE e.case_id = a.entity_id AND e.reason = 'dissatisfied' AND e.fired_at = a.at "
            "  AND e.level = 'l' || (a.data ->> 'escalate_to_level'))"), o)).scalar()
        skipped = (await conn.execute(text(
            "SELECT count(*) FROM cases c WHERE c.org_id = :o AND c.kind = 'complaint' AND c.channel IN ('hq_hotline', 'gov_12345') "
            "AND NOT EXISTS (SELECT 1 FROM escalations e WHERE e.case_id = c.id AND e.reason = 'skip_level' AND e.level = 'l3' "
            "  AND e.fired_at = c.received_at)"), o)).scalar()
        assert unescalated == 0 and skipped == 0
        nobody = (await conn.execute(text(
            "SELECT count(*) FROM escalations WHERE org_id = :o AND cardinality(recipients) = 0"), o)).scalar()
        assert nobody == 0, "every escalation reached someone"
    # The month's figures agree: where promises were broken after their deadline, L1 fired.
    async with owner_engine.begin() as conn:
        await conn.execute(text("SELECT set_config('app.org_id', :o, true), set_config('app.project_ids', '*', true)"),
                           {"o": str(org.org_id)})
        await rebuild(conn)
        months = list(await conn.execute(text(
            "SELECT month, sum(broken_promises) AS broken, sum(escalations_l1 + escalations_l2 + escalations_l3) AS escalated "
            "FROM kpi_project_month WHERE org_id = :o GROUP BY month"), o))
    assert sum(m.broken for m in months) > 0
    assert all(m.escalated > 0 for m in months if m.broken > 0), months
