"""The demo's trickle: while `firstcall demo` runs, a new case arrives every few seconds in one of
the demo company's projects and a few open cases move one step on — through the same rules,
repository, audit rows and outbox as a request to the API, inside the company's wall. It moves
only the cases it registered itself (their first receiver is the trickle's own user, which
cannot sign in), never one a person took in or is working on from the history. A failed step
is logged and the next one tried; the demo never stops for it."""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import text

from domain.cases.commands import RegisterCase
from domain.cases.intake import register_case
from domain.cases.model import Actor
from domain.cases.repository import CaseRepository
from domain.cases.states import Satisfaction, State
from domain.errors import DomainError
from domain.roster import repository as roster
from domain.roster.model import propose
from domain.sla.repository import SlaRecorder
from domain.unit_of_work import UnitOfWork
from tenants.context import TenantScope
from firstcall.demo_history import load_desks
from firstcall.demo_walk import CATEGORIES, CHANNELS, KINDS, RESULTS, SEVERITIES, TEXTS, Desk, pick
from tenants.platform import Platform

log = logging.getLogger("firstcall.demo")
ACTOR = "system:demo-trickle"
USERNAME = "demo.trickle"
# The trickle's own user: it registers (and commits and dispatches) the cases it makes up. A
# password that is no hash and `active = false`: nobody signs in as it.
_ME = text(
    "INSERT INTO users (org_id, username, display_name, password_hash, active) VALUES (:o, :u, '演示来电 Demo feed', '!', false) "
    "ON CONFLICT (org_id, username) DO UPDATE SET username = EXCLUDED.username RETURNING id"
)
_OPEN = text(
    "SELECT id FROM cases WHERE org_id = :o AND first_receiver_id = :me "
    "AND state IN ('committed', 'dispatched', 'accepted', 'in_progress', 'resolved', 'confirmed', 'reopened') "
    "AND received_at > now() - interval '3 days' ORDER BY random() LIMIT :n"
)


async def trickle_user(conn, org_id: UUID) -> UUID:
    return (await conn.execute(_ME, {"o": org_id, "u": USERNAME})).scalar_one()


async def arrive(uow: UnitOfWork, rng: random.Random, org_id: UUID, desk: Desk, categories: dict[str, UUID], now: datetime,
                 me: UUID) -> UUID:
    kind, severity = pick(rng, KINDS), pick(rng, SEVERITIES[:2])
    category = pick(rng, CATEGORIES[kind])
    unit = rng.choice(desk.units) if desk.units else None
    registered = await register_case(uow, RegisterCase(
        project_id=desk.project_id, kind=kind, severity=severity, channel=pick(rng, CHANNELS), category_id=categories[category],
        description=rng.choice(TEXTS[category]), unit_id=unit[0] if unit else None, public_area=None if unit else "中心花园"),
        org_id=org_id, receiver=Actor(me), now=now)
    return registered.case.id


async def move_on(uow: UnitOfWork, rng: random.Random, case_id: UUID, desk: Desk, now: datetime) -> None:
    """The next step a real desk would take for this case."""
    conn, repo = uow.conn, CaseRepository(uow)
    case = await repo.get_for_update(case_id)
    agent, tech = Actor(case.first_receiver_id), Actor(case.assignee_id or desk.tech)
    if case.state is State.RECEIVED:
        # As commitCase without a due: the policy's resolution deadline.
        case.commit(None, default_due=await SlaRecorder(conn).policy_deadline(case), actor=agent, now=now)
    elif case.state in (State.COMMITTED, State.REOPENED):
        kind = await roster.department_kind_of_case(conn, uow.org_id, case.id)
        on_duty = propose(await roster.on_duty(conn, uow.org_id, case.project_id, now), kind)
        if on_duty:
            case.dispatch(assignee_id=on_duty[0].user_id, department_id=on_duty[0].department_id, actor=agent, now=now)
        else:
            case.report_undispatchable("无人值班 Nobody on duty", actor=agent, now=now)
    elif case.state is State.DISPATCHED:
        case.accept(actor=tech, now=now)
    elif case.state is State.ACCEPTED:
        case.start(actor=tech, now=now)
    elif case.state is State.IN_PROGRESS:
        if case.paused_since is not None:
            case.resume(actor=tech, now=now)
        else:
            case.resolve(rng.choice(RESULTS), actor=tech, now=now)
    elif case.state is State.RESOLVED:
        case.confirm(now=now)
    elif case.state is State.CONFIRMED:
        visitor = Actor(desk.supervisor if case.handler_id != desk.supervisor else desk.manager)
        satisfaction = pick(rng, ((Satisfaction.SATISFIED, 85), (Satisfaction.BASICALLY_SATISFIED, 12), (Satisfaction.DISSATISFIED, 3)))
        case.return_visit(satisfaction, 5 if satisfaction is Satisfaction.SATISFIED else 3, "回访", visitor=visitor, now=now)
    await repo.save(case)


async def tick(platform: Platform, org_id: UUID, rng: random.Random, moves: int = 3) -> int:
    """One new case and up to `moves` steps; returns the steps that succeeded."""
    scope = TenantScope(org_id=org_id, projects=None, actor=ACTOR)
    now = datetime.now(UTC)
    async with UnitOfWork(platform, org_id=org_id, actor=ACTOR, scope=scope) as uow:
        desks = {d.project_id: d for d in await load_desks(uow.conn, org_id)}
        categories = {r.code: r.id for r in await uow.conn.execute(
            text("SELECT code, id FROM case_categories WHERE org_id = :o"), {"o": org_id})}
        me = await trickle_user(uow.conn, org_id)
        new_id = await arrive(uow, rng, org_id, rng.choice(list(desks.values())), categories, now, me)
        await uow.commit()
    done = 0
    async with platform.transaction(scope) as conn:
        ids = [r.id for r in await conn.execute(_OPEN, {"o": org_id, "me": me, "n": moves})] + [new_id]
    for case_id in ids:
        try:
            async with UnitOfWork(platform, org_id=org_id, actor=ACTOR, scope=scope) as uow:
                project = (await uow.conn.execute(text("SELECT project_id FROM cases WHERE org_id = :o AND id = :c"),
                                                   {"o": org_id, "c": case_id})).scalar_one()
                await move_on(uow, rng, case_id, desks[project], datetime.now(UTC))
                await uow.commit()
            done += 1
        except DomainError as e:  # e.g. a case someone moved meanwhile through the API
            log.info("demo step skipped for %s: %s", case_id, e.message)
    return done


async def run_trickle(platform: Platform, org_id: UUID, stop: asyncio.Event, every_seconds: float) -> None:
    rng = random.Random()
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), timeout=every_seconds)
        except TimeoutError:
            pass
        if stop.is_set():
            return
        try:
            await tick(platform, org_id, rng)
        except Exception:
            log.exception("demo trickle step failed; trying again")
