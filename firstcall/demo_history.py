"""Months of history for the demo company: thousands of cases across its 12 projects, each walked
through the real case rules (firstcall/demo_walk.py), with every record the rules and the SLA ladder
would have written for them — audit rows, written replies, referrals with their history, SLA
targets, the timers (fired, held, or still to fire for the cases open now) and the escalations
they fired, computed by `domain/sla/replay.py` as the scanner would have. Written once, by COPY;
outbox events are not replayed (those notifications would be months late). The last days stay
open in every state, for the demo's queues and the trickle to work on."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.cases.repository import CHINA, business_day, case_number
from domain.cases.states import CaseKind, Severity, State
from domain.referrals.model import feedback_due
from domain.sla.calendar import Calendar, ClockKind
from domain.sla.policy import Ladder, Policy
from domain.sla.replay import SlaReplay
from firstcall.demo_walk import DAYS, Body, Desk, Policies, Walked, generate

_DESKS = text(
    "SELECT p.id, p.code, p.households, p.work_opens, p.work_closes, "
    "  max(u.id::text) FILTER (WHERE r.role = 'cs_agent') AS agent, max(u.id::text) FILTER (WHERE r.role = 'dispatcher') AS dispatcher, "
    "  max(u.id::text) FILTER (WHERE r.role = 'technician') AS tech, "
    "  max(u.id::text) FILTER (WHERE r.role = 'cs_supervisor') AS supervisor, "
    "  max(u.id::text) FILTER (WHERE r.role = 'project_manager') AS manager "
    "FROM projects p JOIN role_assignments r ON r.project_id = p.id JOIN users u ON u.id = r.user_id "
    "WHERE p.org_id = :o GROUP BY p.id, p.code, p.households, p.work_opens, p.work_closes ORDER BY p.code"
)
# The body a complaint about the neighbourhood goes to first: the street office, else any.
_BODIES = text(
    "SELECT project_id, id, name, feedback_days FROM outside_bodies WHERE org_id = :o AND active "
    "ORDER BY project_id, kind <> 'street_office', name"
)


async def load_desks(conn, org_id: uuid.UUID) -> list[Desk]:
    desks = {}
    own = {r.day: r.working for r in await conn.execute(
        text("SELECT day, working FROM calendar_days WHERE org_id = :o"), {"o": org_id})}
    for r in await conn.execute(_DESKS, {"o": org_id}):
        desks[r.id] = Desk(r.id, r.code, r.households, *(uuid.UUID(getattr(r, k)) for k in
                                                          ("agent", "dispatcher", "tech", "supervisor", "manager")),
                           calendar=Calendar(own, r.work_opens, r.work_closes))
    for r in await conn.execute(text("SELECT project_id, id, building_id FROM units WHERE org_id = :o"), {"o": org_id}):
        desks[r.project_id].units.append((r.id, r.building_id))
    # Who may call about a flat: whoever lives there now (docs/archive.md §2.1).
    for r in await conn.execute(text("SELECT project_id, unit_id, resident_id FROM occupancies "
                                     "WHERE org_id = :o AND moved_out_on IS NULL"), {"o": org_id}):
        desks[r.project_id].residents.setdefault(r.unit_id, []).append(r.resident_id)
    for r in await conn.execute(_BODIES, {"o": org_id}):
        if r.project_id in desks:
            desks[r.project_id].bodies.append(Body(r.id, r.name, r.feedback_days))
    return list(desks.values())


async def load_policies(conn, org_id: uuid.UUID) -> tuple[Policies, Ladder]:
    """The company's policies, its projects' overrides and its ladder, as the SLA recorder would read them."""
    policies = {(r.project_id, CaseKind(r.kind), Severity(r.severity)):
                Policy(ClockKind(r.clock), r.commit_minutes, r.arrive_minutes, r.resolve_minutes, r.visit_minutes)
                for r in await conn.execute(text(
                    "SELECT project_id, kind, severity, clock, commit_minutes, arrive_minutes, resolve_minutes, visit_minutes "
                    "FROM sla_policies WHERE org_id = :o"), {"o": org_id})}
    row = (await conn.execute(text("SELECT remind_pct, l1_pct, l2_pct, l3_pct FROM sla_ladders WHERE org_id = :o"),
                              {"o": org_id})).first()
    return policies, Ladder(*row) if row else Ladder()


async def _recipients(conn, org_id: uuid.UUID) -> dict[tuple[uuid.UUID | None, str], list[uuid.UUID]]:
    """Who hears of each level, as `escalation_recipients` answers: the project's CS supervisors
    (L1) and managers (L2), headquarters' supervisors and quality staff (L3)."""
    levels = {"cs_supervisor": "l1", "project_manager": "l2", "hq_supervisor": "l3", "hq_quality": "l3"}
    found: dict[tuple[uuid.UUID | None, str], set[uuid.UUID]] = defaultdict(set)
    for r in await conn.execute(text(
            "SELECT r.role, r.project_id, r.user_id FROM role_assignments r JOIN users u ON u.org_id = r.org_id AND u.id = r.user_id "
            "WHERE r.org_id = :o AND u.active"), {"o": org_id}):
        if r.role in levels:
            found[(None if levels[r.role] == "l3" else r.project_id, levels[r.role])].add(r.user_id)
    return {key: sorted(users) for key, users in found.items()}


def _transition_rows(org_id, w: Walked) -> list[tuple]:
    c = w.case
    return [(org_id, c.project_id, t.at, f"user:{t.actor_id}" if t.actor_id else "system", t.topic, "case", c.id,
             t.from_state.value if t.from_state else None, t.to_state.value, t.note, json.dumps(t.data, ensure_ascii=False, default=str))
            for t in c.transitions]


def _case_row(org_id, w: Walked, number: str, category_id: uuid.UUID) -> tuple:
    c = w.case
    unit, building = w.unit if w.unit else (None, None)
    return (org_id, c.project_id, c.id, number, c.kind.value, c.severity.value, c.channel.value, category_id, building, unit,
            w.public_area, w.resident, None, c.first_receiver_id, w.description, [], c.state.value, c.received_at,
            c.commitment_due, c.assignee_id, c.department_id, c.handler_id, c.paused_since, int(c.paused_total.total_seconds()),
            c.resolved_at, c.confirmed_at, c.auto_confirmed, c.reopen_count, c.rework_level, c.broken_promises,
            c.decline_from.value if c.decline_from else None, c.satisfaction.value if c.satisfaction else None,
            c.visit_score, c.visited_by, c.transitions[-1].at)


CASE_COLUMNS = (
    "org_id", "project_id", "id", "number", "kind", "severity", "channel", "category_id", "building_id", "unit_id",
    "public_area", "reporter_resident_id", "reporter_staff_id", "first_receiver_id", "description", "photos", "state",
    "received_at", "commitment_due", "assignee_id", "department_id", "handler_id", "paused_since", "paused_seconds",
    "resolved_at", "confirmed_at", "auto_confirmed", "reopen_count", "rework_level", "broken_promises", "decline_from",
    "satisfaction", "visit_score", "visited_by", "updated_at",
)
AUDIT_COLUMNS = ("org_id", "project_id", "at", "actor", "action", "entity", "entity_id", "from_state", "to_state", "note", "data")
TARGET_COLUMNS = ("org_id", "project_id", "case_id", "target", "round", "clock", "started_at", "budget_minutes", "paused_minutes",
                  "due_at", "paused_at", "met_at", "closed_by", "broken_at")
TIMER_COLUMNS = ("org_id", "project_id", "case_id", "target", "round", "level", "due_at", "fired_at")
ESCALATION_COLUMNS = ("org_id", "project_id", "case_id", "target", "round", "level", "reason", "due_at", "fired_at", "recipients")
REFERRAL_COLUMNS = ("org_id", "project_id", "id", "case_id", "body_id", "reason", "requested_action", "status", "created_at",
                    "created_by", "answered_at", "outcome", "due_at", "next_check_at")
REFERRAL_UPDATE_COLUMNS = ("org_id", "project_id", "referral_id", "kind", "via", "note", "at", "actor")


class _Rows:
    """The rows of every table the history fills, case by case."""

    def __init__(self, org_id: uuid.UUID, ladder: Ladder, recipients, now: datetime) -> None:
        self.org_id, self.ladder, self.recipients, self.now = org_id, ladder, recipients, now
        self.tables: dict[str, list[tuple]] = defaultdict(list)

    def add(self, w: Walked, number: str, category_id: uuid.UUID) -> None:
        c, o = w.case, self.org_id
        self.tables["cases"].append(_case_row(o, w, number, category_id))
        self.tables["audit_log"].extend(_transition_rows(o, w))
        self._sla(w)
        if w.reply is not None and c.state is State.DECLINED:
            declined = next(t for t in c.transitions if t.topic == "case.declined")
            self.tables["written_replies"].append((o, c.project_id, c.id, 1, w.reply.reason, w.reply.basis,
                                                   list(w.reply.alternatives), declined.actor_id, declined.at))
        referred = next((t for t in c.transitions if t.topic == "case.referred"), None)
        if referred is not None and w.referral is not None:
            self._referral(w, referred)

    def _sla(self, w: Walked) -> None:
        c, o = w.case, self.org_id
        replay = SlaReplay(w.policy, self.ladder, calendar=w.calendar)
        sla = replay.run(c.transitions, channel=c.channel.value, kind=c.kind.value, now=self.now)
        self.tables["case_targets"].extend(
            (o, c.project_id, c.id, t.target, t.round, t.clock, t.started_at, t.budget_minutes, t.paused_minutes, t.due_at,
             t.paused_at, t.met_at, t.closed_by, t.broken_at) for t in sla.targets.values())
        self.tables["sla_timers"].extend(
            (o, c.project_id, c.id, t.target, t.round, t.level, t.due_at, t.fired_at) for t in sla.timers.values())
        for e in sla.escalations:
            if e.level == "remind":
                who = [e.assignee_id or c.first_receiver_id]
            else:
                who = self.recipients.get((None if e.level == "l3" else c.project_id, e.level), [])
            self.tables["escalations"].append((o, c.project_id, c.id, e.target, e.round, e.level, e.reason, e.due_at,
                                               e.fired_at, who))

    def _referral(self, w: Walked, referred) -> None:
        c, o, r = w.case, self.org_id, w.referral
        rid, actor = uuid.uuid4(), f"user:{referred.actor_id}"
        due = feedback_due(referred.at, r.body.feedback_days)
        answer = next((t for t in c.transitions if t.topic == "case.resolved" and t.data.get("by_referral")), None)
        self.tables["referrals"].append((
            o, c.project_id, rid, c.id, r.body.id, r.reason, r.action, "answered" if answer else "sent", referred.at, actor,
            answer.at if answer else None, answer.note if answer else None, due, None if answer else due))
        self.tables["referral_updates"].append((o, c.project_id, rid, "sent", "staff", None, referred.at, actor))
        if answer is not None:
            self.tables["referral_updates"].append((o, c.project_id, rid, "answered", "staff", answer.note, answer.at,
                                                    f"user:{answer.actor_id}" if answer.actor_id else "system"))


COLUMNS = {
    "cases": CASE_COLUMNS, "audit_log": AUDIT_COLUMNS,
    "written_replies": ("org_id", "project_id", "case_id", "version", "reason", "basis", "alternatives", "created_by", "created_at"),
    "case_numbers": ("org_id", "project_id", "day", "last"),
    "case_targets": TARGET_COLUMNS, "sla_timers": TIMER_COLUMNS, "escalations": ESCALATION_COLUMNS,
    "referrals": REFERRAL_COLUMNS, "referral_updates": REFERRAL_UPDATE_COLUMNS,
}


async def add_history(engine: AsyncEngine, org_id: uuid.UUID, *, now: datetime | None = None, days: int = DAYS) -> int:
    """Adds the history once; a company that already has cases keeps what it has. Returns the
    number of cases written."""
    now = now or datetime.now(UTC)
    async with engine.begin() as conn:
        if (await conn.execute(text("SELECT 1 FROM cases WHERE org_id = :o LIMIT 1"), {"o": org_id})).first():
            return 0
        desks = await load_desks(conn, org_id)
        policies, ladder = await load_policies(conn, org_id)
        categories = {r.code: r.id for r in await conn.execute(
            text("SELECT code, id FROM case_categories WHERE org_id = :o"), {"o": org_id})}
        rows = _Rows(org_id, ladder, await _recipients(conn, org_id), now)
        codes = {d.project_id: d.code for d in desks}
        counters: dict[tuple, int] = defaultdict(int)
        for w in generate(org_id, desks, now, days=days, policies=policies):
            day = business_day(w.case.received_at)
            counters[(w.case.project_id, day)] += 1
            rows.add(w, case_number(codes[w.case.project_id], day, counters[(w.case.project_id, day)]), categories[w.category])
        rows.tables["case_numbers"] = [(org_id, p, d, n) for (p, d), n in counters.items()]
        raw = (await conn.get_raw_connection()).driver_connection
        for table, columns in COLUMNS.items():  # in the order the foreign keys need
            await raw.copy_records_to_table(table, records=rows.tables[table], columns=columns)
    return len(rows.tables["cases"])


_ROSTER_PEOPLE = text(
    "SELECT r.project_id, r.user_id, d.id AS department_id FROM role_assignments r "
    "JOIN departments d ON d.project_id = r.project_id AND d.kind = CASE r.role WHEN 'technician' THEN 'engineering' "
    "  WHEN 'staff' THEN 'security' ELSE 'customer_service' END "
    "WHERE r.org_id = :o AND r.role IN ('technician', 'staff', 'cs_agent')"
)


async def add_duty_roster(engine: AsyncEngine, org_id: uuid.UUID, *, now: datetime | None = None, days: int = 14) -> int:
    """Day and night shifts (08:00–20:00, 20:00–08:00 Beijing time) from yesterday for two weeks,
    so that dispatching to whoever is on duty works in the demo. Once per company."""
    now = now or datetime.now(UTC)
    async with engine.begin() as conn:
        if (await conn.execute(text("SELECT 1 FROM duty_shifts WHERE org_id = :o LIMIT 1"), {"o": org_id})).first():
            return 0
        people = list(await conn.execute(_ROSTER_PEOPLE, {"o": org_id}))
        first = datetime.combine(business_day(now), datetime.min.time(), tzinfo=CHINA) + timedelta(hours=8) - timedelta(days=1)
        rows = [(org_id, p.project_id, p.department_id, p.user_id, first + timedelta(hours=12 * i), first + timedelta(hours=12 * (i + 1)))
                for p in people for i in range(2 * days)]
        raw = (await conn.get_raw_connection()).driver_connection
        await raw.copy_records_to_table("duty_shifts", records=rows,
                                        columns=("org_id", "project_id", "department_id", "user_id", "starts_at", "ends_at"))
    return len(rows)
