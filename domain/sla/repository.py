"""SLA targets, timers and immediate escalations in PostgreSQL, written in the transaction of
the case transition that causes them (the case repository calls `follow`), so a transition
never commits without its clocks, and a met target never keeps a timer that could still fire."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.cases.model import Case, Transition
from domain.events import Event
from domain.sla.calendar import Calendar, Clock, ClockKind, Deadline
from domain.sla.policy import DEFAULTS, Ladder, Policy
from domain.sla.targets import Break, Escalate, Meet, MeetAll, NewRound, Pause, Resume, Start, Step, heard_by, plan
from tenants import direct

# Far enough ahead that a paused clock's timers never fall due, near enough for timestamptz.
PAUSED = datetime(9999, 1, 1, tzinfo=UTC)

# A case's policy, ladder and working hours, from its project (`pr`): a registration reads them
# with its project and category in one statement (domain/cases/intake.py).
CONTEXT_COLUMNS = ("p.clock, p.commit_minutes, p.arrive_minutes, p.resolve_minutes, p.visit_minutes, "
                   "l.remind_pct, l.l1_pct, l.l2_pct, l.l3_pct, pr.work_opens, pr.work_closes")
CONTEXT_FROM = (
    "projects pr LEFT JOIN sla_ladders l ON l.org_id = pr.org_id "
    "LEFT JOIN LATERAL (SELECT * FROM sla_policies s WHERE s.org_id = pr.org_id AND s.kind = :kind AND s.severity = :sev "
    "  AND (s.project_id = pr.id OR s.project_id IS NULL) ORDER BY s.project_id NULLS LAST LIMIT 1) p ON true"
)
_CONTEXT = text(f"SELECT {CONTEXT_COLUMNS} FROM {CONTEXT_FROM} WHERE pr.org_id = :o AND pr.id = :p")
_OWN_DAYS = text("SELECT day, working FROM calendar_days WHERE org_id = :o AND day BETWEEN :a AND :b")
_TARGET = text(
    "SELECT target, round, clock, started_at, budget_minutes, paused_minutes, paused_at, met_at FROM case_targets "
    "WHERE org_id = :o AND case_id = :c AND target = :t AND round = :r"
)
_ROUND = text("SELECT coalesce(max(round), 0) FROM case_targets WHERE org_id = :o AND case_id = :c")
_UPSERT = text(
    "INSERT INTO case_targets (org_id, project_id, case_id, target, round, clock, started_at, budget_minutes, due_at, provisional) "
    "VALUES (:o, :p, :c, :t, :r, :clock, :start, :budget, :due, :prov) "
    "ON CONFLICT (org_id, case_id, target, round) DO UPDATE SET clock = EXCLUDED.clock, "
    "budget_minutes = EXCLUDED.budget_minutes, due_at = EXCLUDED.due_at, provisional = EXCLUDED.provisional"
)
_DROP_TIMERS = text("DELETE FROM sla_timers WHERE org_id = :o AND case_id = :c AND target = :t AND round = :r AND fired_at IS NULL")
# All levels of a target in one statement (this runs inside every transition); a fired level
# keeps its row, so ON CONFLICT leaves it alone: exactly once.
_ADD_TIMERS = text(
    "INSERT INTO sla_timers (org_id, project_id, case_id, target, round, level, due_at) "
    "SELECT :o, :p, :c, :t, :r, level, due FROM unnest(CAST(:levels AS text[]), CAST(:dues AS timestamptz[])) AS x(level, due) "
    "ON CONFLICT DO NOTHING"
)
# A new case's clocks, all of them at once: the rows _UPSERT and _ADD_TIMERS write one target at a
# time (`_start`), for a case that has none yet.
_UPSERT_MANY = text(
    "INSERT INTO case_targets (org_id, project_id, case_id, target, round, clock, started_at, budget_minutes, due_at, provisional) "
    "SELECT :o, :p, :c, t, :r, clock, start, budget, due, prov FROM unnest(CAST(:targets AS text[]), CAST(:clocks AS text[]), "
    "  CAST(:starts AS timestamptz[]), CAST(:budgets AS float8[]), CAST(:dues AS timestamptz[]), CAST(:provs AS boolean[])) "
    "  WITH ORDINALITY AS x(t, clock, start, budget, due, prov, n) ORDER BY n "
    "ON CONFLICT (org_id, case_id, target, round) DO UPDATE SET clock = EXCLUDED.clock, "
    "budget_minutes = EXCLUDED.budget_minutes, due_at = EXCLUDED.due_at, provisional = EXCLUDED.provisional"
)
# With them in one statement: the timers' foreign key to their targets is checked at its end.
_START_MANY = text(
    f"WITH t AS ({_UPSERT_MANY.text}) "
    "INSERT INTO sla_timers (org_id, project_id, case_id, target, round, level, due_at) "
    "SELECT :o, :p, :c, t, :r, level, due FROM unnest(CAST(:timer_targets AS text[]), CAST(:levels AS text[]), "
    "  CAST(:timer_dues AS timestamptz[])) WITH ORDINALITY AS x(t, level, due, n) ORDER BY n "
    "ON CONFLICT DO NOTHING"
)
_MEET = text(
    "UPDATE case_targets SET met_at = :at, closed_by = :how, paused_at = NULL "
    "WHERE org_id = :o AND case_id = :c AND target = :t AND round = :r AND met_at IS NULL"
)
_BREAK = text(
    "UPDATE case_targets SET broken_at = coalesce(broken_at, :at) "
    "WHERE org_id = :o AND case_id = :c AND target = :t AND round = :r AND met_at IS NULL"
)
_MEET_ALL = text("UPDATE case_targets SET met_at = :at, closed_by = :how, paused_at = NULL "
                 "WHERE org_id = :o AND case_id = :c AND met_at IS NULL")
_DROP_ALL_TIMERS = text("DELETE FROM sla_timers WHERE org_id = :o AND case_id = :c AND fired_at IS NULL")
_PAUSE = text("UPDATE case_targets SET paused_at = :at WHERE org_id = :o AND case_id = :c AND met_at IS NULL AND paused_at IS NULL")
_HOLD_TIMERS = text("UPDATE sla_timers SET due_at = :paused WHERE org_id = :o AND case_id = :c AND fired_at IS NULL")
_PAUSED_TARGETS = text(
    "SELECT target, round, clock, started_at, budget_minutes, paused_minutes, paused_at FROM case_targets "
    "WHERE org_id = :o AND case_id = :c AND met_at IS NULL AND paused_at IS NOT NULL"
)
_RESUME = text(
    "UPDATE case_targets SET paused_at = NULL, paused_minutes = :pm, due_at = :due "
    "WHERE org_id = :o AND case_id = :c AND target = :t AND round = :r"
)
_ESCALATE = text(
    "INSERT INTO escalations (org_id, project_id, case_id, level, reason, fired_at, recipients) "
    "VALUES (:o, :p, :c, :level, :reason, :at, (SELECT coalesce(array_agg(DISTINCT u ORDER BY u), '{}') "
    "  FROM unnest(CAST(:heard_by AS text[])) AS l, unnest(tenant_escalation_recipients(:p, :c, l)) AS u)) "
    "RETURNING id, recipients"
)
_GAP = text("INSERT INTO calendar_gaps (org_id, year) VALUES (:o, :y) ON CONFLICT DO NOTHING RETURNING year")


@dataclass
class _Context:
    policy: Policy
    ladder: Ladder
    calendar: Calendar

    def clock(self, kind: str | ClockKind) -> Clock:
        return Clock(ClockKind(kind), self.calendar)


class SlaRecorder:
    def __init__(self, conn: AsyncConnection, *, announce: Callable[[Event], None] | None = None,
                 new_case: bool = False, context: Mapping[str, Any] | None = None) -> None:
        """`announce` takes the events the clocks cause (an escalation, a missing calendar) for the
        unit of work to write at commit: the case repository collects them behind the transition's
        own. A recorder made without it only reads (`policy_deadline`). `new_case`: the case was
        inserted in this transaction, so it has no round, target or timer yet — nothing to look up
        or clear before its first clocks start, and those start in one statement, targets and timers
        (a registration's three targets and twelve timers: 1 statement, not 14).
        `context`: the case's CONTEXT_COLUMNS, when its caller has read them already."""
        self.conn = conn
        self._row = context
        self._announce = announce
        self._ctx: _Context | None = None
        self._round: int | None = 0 if new_case else None
        self._unwritten = new_case  # no target of the case exists yet, beyond those in `_written`
        self._written: set[str] = set()

    def _emit(self, event: Event) -> None:
        if self._announce is None:
            raise RuntimeError("This SLA recorder only reads: give it `announce` to record what the clocks cause.")
        self._announce(event)

    async def follow(self, case: Case, transitions: list[Transition]) -> None:
        steps = [s for t in transitions for s in plan(t, channel=case.channel.value, kind=case.kind.value)]
        starting: list[Start] = []
        for step in steps:
            if self._fresh(step):
                assert isinstance(step, Start)
                starting.append(step)
                self._written.add(step.target)
                continue
            # Written before any other step, which may read or change what they write.
            await self._start_fresh(case, starting)
            starting = []
            await self._apply(case, step)
        await self._start_fresh(case, starting)

    def _fresh(self, step: Step) -> bool:
        """A clock of a new case that no earlier step has written: nothing to look up or clear."""
        return self._unwritten and self._round == 0 and isinstance(step, Start) and step.target not in self._written

    async def _apply(self, case: Case, step: Step) -> None:
        ids = {"o": case.org_id, "p": case.project_id, "c": case.id}
        match step:
            case Start():
                await self._start(case, step, await self._current_round(case))
            case Meet(target=target, at=at, how=how):
                r = await self._current_round(case)
                await self.conn.execute(_MEET, {**ids, "t": target, "r": r, "at": at, "how": how})
                await self.conn.execute(_DROP_TIMERS, {**ids, "t": target, "r": r})
            case Break(target=target, at=at):
                await self.conn.execute(_BREAK, {**ids, "t": target, "r": await self._current_round(case), "at": at})
            case MeetAll(at=at, how=how):
                await self.conn.execute(_MEET_ALL, {**ids, "at": at, "how": how})
                await self.conn.execute(_DROP_ALL_TIMERS, ids)
            case NewRound(at=at):
                await self.conn.execute(_MEET_ALL, {**ids, "at": at, "how": "superseded"})
                await self.conn.execute(_DROP_ALL_TIMERS, ids)
                self._round = await self._current_round(case) + 1
                for target in ("arrive", "resolve"):
                    await self._start(case, Start(target, at), self._round)
            case Pause(at=at):
                await self.conn.execute(_PAUSE, {**ids, "at": at})
                await self.conn.execute(_HOLD_TIMERS, {**ids, "paused": PAUSED})
            case Resume(at=at):
                await self._resume(case, at)
            case Escalate(level=level, reason=reason, at=at):
                await self.escalate(case, level, reason, at)

    async def _start(self, case: Case, step: Start, round_: int) -> None:
        ids = {"o": case.org_id, "p": case.project_id, "c": case.id, "t": step.target, "r": round_}
        existing = (await self.conn.execute(_TARGET, ids)).first()
        if existing is not None and existing.met_at is not None:
            return
        ctx = await self._context(case)
        start = existing.started_at if existing is not None else step.at
        paused = existing.paused_minutes if existing is not None else 0.0
        clock, budget = self._budget(ctx, step, start)
        due = clock.add(start, budget + paused)
        await self.conn.execute(_UPSERT, {**ids, "clock": clock.kind.value, "start": start, "budget": budget,
                                          "due": due.at, "prov": due.provisional})
        await self._calendar_gaps(case, due)
        await self._set_timers(ids, clock, ctx.ladder, start, budget, paused,
                               held=existing is not None and existing.paused_at is not None)

    async def _start_fresh(self, case: Case, steps: list[Start]) -> None:
        """`_start` for clocks of a new case (round 0, no target, no timer yet), each as `_start`
        computes it, the targets and the timers written in one statement."""
        if not steps:
            return
        ctx = await self._context(case)
        targets: dict[str, list[Any]] = {"targets": [], "clocks": [], "starts": [], "budgets": [], "dues": [], "provs": []}
        timers: dict[str, list[Any]] = {"timer_targets": [], "levels": [], "timer_dues": []}
        for step in steps:
            clock, budget = self._budget(ctx, step, step.at)
            due = clock.add(step.at, budget)
            for key, value in zip(targets, (step.target, clock.kind.value, step.at, budget, due.at, due.provisional), strict=True):
                targets[key].append(value)
            await self._calendar_gaps(case, due)
            for level, pct in ctx.ladder.levels():
                timers["timer_targets"].append(step.target)
                timers["levels"].append(level)
                timers["timer_dues"].append(clock.add(step.at, budget * pct / 100).at)
        ids = {"o": case.org_id, "p": case.project_id, "c": case.id, "r": 0}
        await direct.run(self.conn, _START_MANY, {**ids, **targets, **timers})  # on every registration: past SQLAlchemy

    @staticmethod
    def _budget(ctx: _Context, step: Start, start: datetime) -> tuple[Clock, float]:
        """The clock a started target runs on and its minutes: a promise to the resident is
        wall-clock time to its deadline; else the policy's clock and minutes."""
        if step.due is not None:
            return ctx.clock(ClockKind.ALWAYS), max((step.due - start).total_seconds() / 60, 0.0)
        return ctx.clock(ctx.policy.clock), float(ctx.policy.minutes(step.target))

    async def _set_timers(self, ids: dict[str, Any], clock: Clock, ladder: Ladder, start: datetime, budget: float,
                          paused: float, *, held: bool = False) -> None:
        await self.conn.execute(_DROP_TIMERS, ids)
        levels = ladder.levels()
        dues = [PAUSED if held else clock.add(start, budget * pct / 100 + paused).at for _, pct in levels]
        await self.conn.execute(_ADD_TIMERS, {**ids, "levels": [level for level, _ in levels], "dues": dues})

    async def _resume(self, case: Case, at: datetime) -> None:
        ctx = await self._context(case)
        for t in (await self.conn.execute(_PAUSED_TARGETS, {"o": case.org_id, "c": case.id})).all():
            clock = ctx.clock(t.clock)
            paused = t.paused_minutes + clock.elapsed(t.paused_at, at)
            due = clock.add(t.started_at, t.budget_minutes + paused)
            ids = {"o": case.org_id, "p": case.project_id, "c": case.id, "t": t.target, "r": t.round}
            await self.conn.execute(_RESUME, {**ids, "pm": paused, "due": due.at})
            await self._set_timers(ids, clock, ctx.ladder, t.started_at, t.budget_minutes, paused)

    async def policy_deadline(self, case: Case, target: str = "resolve") -> datetime:
        """When the case's policy — kind × severity, the project's override, on its clock and
        calendar — wants `target` met, counted from receipt."""
        ctx = await self._context(case)
        return ctx.policy.deadline(case.received_at, target, ctx.calendar)

    async def escalate(self, case: Case, level: str, reason: str, at: datetime) -> None:
        row = (await self.conn.execute(_ESCALATE, {"o": case.org_id, "p": case.project_id, "c": case.id,
                                                   "level": level, "reason": reason, "at": at,
                                                   "heard_by": heard_by(level, reason)})).one()
        self._emit(Event(topic="case.escalated", org_id=case.org_id, project_id=case.project_id, payload={
            "case_id": str(case.id), "escalation_id": str(row.id), "level": level, "reason": reason,
            "fired_at": at.isoformat(), "recipients": [str(u) for u in row.recipients]}))

    async def _calendar_gaps(self, case: Case, due: Deadline) -> None:
        """A deadline counted over days no calendar covers: ask the company for that year once."""
        for year in sorted({d.year for d in due.uncovered}):
            if (await self.conn.execute(_GAP, {"o": case.org_id, "y": year})).first() is not None:
                # Announced from the project that needed it: a project-scoped caller may write only there.
                self._emit(Event(topic="calendar.missing", org_id=case.org_id, project_id=case.project_id, payload={
                    "year": year, "case_id": str(case.id),
                    "message": f"{year}年节假日安排未录入：期限暂按周末计算 — enter {year}'s holidays and make-up working days."}))

    async def _current_round(self, case: Case) -> int:
        if self._round is None:
            self._round = (await self.conn.execute(_ROUND, {"o": case.org_id, "c": case.id})).scalar_one()
        return self._round

    async def _context(self, case: Case) -> _Context:
        if self._ctx is None:
            row = self._row
            if row is None:  # read on most transitions: past SQLAlchemy (tenants/direct.py)
                row = await direct.first(self.conn, _CONTEXT, {"o": case.org_id, "p": case.project_id, "kind": case.kind.value,
                                                               "sev": case.severity.value})
            if row is None:
                raise RuntimeError(f"the project {case.project_id} of case {case.id} is not visible")
            if row["clock"] is None:  # a company made before its policies were seeded: the defaults
                policy = Policy(ClockKind.ALWAYS, *DEFAULTS[case.severity])
            else:
                policy = Policy(ClockKind(row["clock"]), row["commit_minutes"], row["arrive_minutes"], row["resolve_minutes"],
                                row["visit_minutes"])
            ladder = (Ladder() if row["l1_pct"] is None
                      else Ladder(row["remind_pct"], row["l1_pct"], row["l2_pct"], row["l3_pct"]))
            own: dict[date, bool] = {}
            if policy.clock is not ClockKind.ALWAYS:
                today = datetime.now().date()
                own = {r["day"]: r["working"] for r in await direct.rows(
                    self.conn, _OWN_DAYS, {"o": case.org_id, "a": today - timedelta(days=400), "b": today + timedelta(days=800)})}
            self._ctx = _Context(policy, ladder, Calendar(own, row["work_opens"] or time(8, 30),
                                                          row["work_closes"] or time(17, 30)))
        return self._ctx
