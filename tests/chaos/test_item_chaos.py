"""Chaos for the item ladder (docs/centre-day.md §1): overdue corrective actions, hazards past
their deadline and patrol runs nobody walked, in two companies, with their timers falling due
while two `firstcall scanner` processes and a `firstcall worker` are killed with SIGKILL at random
moments after they came up and restarted (tests/chaos/fleet.py). Every rung fires exactly once — one
`item_escalations` row, one `item.escalated` outbox event, one inbox row per recipient — none is
lost, and an action or hazard put right mid-run stops climbing. On RabbitMQ, which hands a killed
worker's unacknowledged messages to the next one at once, so every notification arrives within
the run. Sized as the case chaos test: CHAOS_CASES items (default 150; `make chaos` 2,000)."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, time, timedelta, timezone
from uuid import UUID

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from domain.hazards.commands import AssignHazard, RecordRectification, ReportHazard
from domain.hazards.service import assign_hazard, record_rectification, report_hazard
from domain.improvements.commands import CompleteAction, RaiseAction
from domain.improvements.service import complete_action, raise_action
from domain.patrols.commands import CreatePlan, CreateRoute
from domain.patrols.schedule import materialise
from domain.patrols.service import create_plan, create_route
from domain.unit_of_work import UnitOfWork
from tenants.context import TenantScope
from tenants.platform import Platform
from tenants.settings import Settings
from tests.chaos.fleet import CASES, SPREAD_SECONDS, STRICT, Fleet, check_lateness, fleet_env, kill_and_restart
from tests.conftest import add_user, make_org
from workers.broker import EVENTS_QUEUE, broker_reachable, make_broker

# Flushes a shared broker or kills and times processes on a busy machine: make test runs it in its serial phase.
pytestmark = pytest.mark.serial

BROKER = "amqp://guest:guest@127.0.0.1:5672/"
BEIJING = timezone(timedelta(hours=8))
LEVELS = ("remind", "l1", "l2", "l3")
GAP_SECONDS = max(2.0, SPREAD_SECONDS / 4)  # between an item's rungs: time to put some right mid-climb
PUT_RIGHT_EVERY = 5  # one action or hazard in five is put right once its first rung has fired

# Chosen to be put right, reminded already, its L3 still to come (in an hour).
_CLIMBING = text(
    "SELECT t.subject_kind, t.subject_id, t.owner_user_id, t.org_id FROM item_timers t "
    "WHERE t.org_id = ANY (CAST(:orgs AS uuid[])) AND t.subject_id = ANY (CAST(:ids AS uuid[])) "
    "  AND t.level = 'remind' AND t.fired_at IS NOT NULL "
    "  AND EXISTS (SELECT 1 FROM item_timers l WHERE l.org_id = t.org_id AND l.subject_kind = t.subject_kind "
    "              AND l.subject_id = t.subject_id AND l.level = 'l3' AND l.fired_at IS NULL)"
)


@pytest.fixture
async def own(own_db):
    settings = Settings(DATABASE_URL=own_db.owner.render_as_string(hide_password=False), FIRSTCALL_MODE="development")
    platform, engine = Platform.create(settings, own_db), create_async_engine(own_db.owner)
    yield platform, engine
    await platform.close()
    await engine.dispose()


def _uow(platform, org_id: UUID, user: UUID) -> UnitOfWork:
    return UnitOfWork(platform, org_id=org_id, actor=f"user:{user}", scope=TenantScope(org_id, None, "test"))


async def _people(owner_engine, org) -> dict[str, UUID]:
    """Someone at every rung: the owner (a CS supervisor, also L1), the project manager (L2), HQ (L3)."""
    people = {"hq": await add_user(owner_engine, org, "hq", "hq_supervisor", None)}
    for p in org.projects:
        people[f"sup{p}"] = await add_user(owner_engine, org, f"sup{p.lower()}", "cs_supervisor", p)
        people[f"pm{p}"] = await add_user(owner_engine, org, f"pm{p.lower()}", "project_manager", p)
    return people


async def _items(platform, org, people: dict[str, UUID], n: int) -> list[tuple[str, UUID, UUID]]:
    """n actions and hazards, alternately, over the company's projects, and a daily patrol plan on
    each project (its week of runs); returns (kind, id, owner) of the actions and hazards."""
    made: list[tuple[str, UUID, UUID]] = []
    codes = sorted(org.projects)
    today = datetime.now(BEIJING).date()
    for i in range(n):
        code = codes[i % len(codes)]
        project, owner = org.projects[code], people[f"sup{code}"]
        if i % 2 == 0:
            action = await raise_action(RaiseAction(project, "other", None, f"混沌整改 {i}", "", owner, today + timedelta(days=3)),
                                        _uow(platform, org.org_id, people[f"pm{code}"]))
            made.append(("action", action, owner))
        else:
            hazard = await report_hazard(ReportHazard(project, "report", None, f"混沌隐患 {i}", "fire", "general"),
                                         _uow(platform, org.org_id, owner))
            await assign_hazard(AssignHazard(hazard, owner), _uow(platform, org.org_id, people[f"pm{code}"]))
            made.append(("hazard", hazard, owner))
    for code in codes:
        route = await create_route(CreateRoute(org.projects[code], "混沌巡查", "safety"), _uow(platform, org.org_id, people[f"pm{code}"]))
        # Ending within the sweep's week: a scanner's own patrol sweep after midnight adds no run.
        await create_plan(CreatePlan(route, people[f"sup{code}"], None, "daily", time(23, 50), 10, today, today + timedelta(days=7)),
                          _uow(platform, org.org_id, people[f"pm{code}"]))
    async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
        assert await materialise(conn, org.org_id, datetime.now(UTC)) >= 7 * len(codes)
    return made


async def _put_right(platform, kind: str, subject: UUID, org_id: UUID, owner: UUID) -> None:
    if kind == "action":
        await complete_action(CompleteAction(subject, "已整改"), _uow(platform, org_id, owner))
    else:
        await record_rectification(RecordRectification(subject, "已整改"), _uow(platform, org_id, owner))


async def test_every_item_rung_fires_exactly_once_through_kill_9(own_db, own, tmp_path):
    platform, owner_engine = own
    broker = make_broker(BROKER)
    assert broker_reachable(broker), "RabbitMQ is not reachable on 5672; `make services` starts it"
    broker.declare_queue(EVENTS_QUEUE)
    broker.flush_all()  # events of earlier runs' databases do not belong to this test
    broker.close()
    orgs = [await make_org(owner_engine), await make_org(owner_engine)]
    rng = random.Random(7)
    chosen: dict[UUID, tuple[str, UUID, UUID]] = {}  # to be put right mid-climb

    async def company(c) -> None:
        for i, (kind, subject, owner) in enumerate(await _items(platform, c, await _people(owner_engine, c), CASES // 2)):
            if i % PUT_RIGHT_EVERY == 0:
                chosen[subject] = (kind, c.org_id, owner)

    await asyncio.gather(*(company(c) for c in orgs))
    o = {"orgs": [c.org_id for c in orgs]}
    async with owner_engine.begin() as conn:
        # Each item's rungs, in their order, fall due within the next seconds, the items in random order;
        # those to be put right are reminded in the first half, their L2 comes last (it races the owner)
        # and their L3 in an hour: it fires only if putting right failed to stop the ladder.
        timers = (await conn.execute(text(
            "WITH s AS (SELECT org_id, subject_kind, subject_id, subject_id = ANY (CAST(:held AS uuid[])) AS held, "
            "                  random() * :s AS r FROM item_timers "
            "           WHERE org_id = ANY (CAST(:orgs AS uuid[])) GROUP BY org_id, subject_kind, subject_id) "
            "UPDATE item_timers t SET due_at = clock_timestamp() + make_interval(secs => 2 + :gap * "
            "       (array_position(ARRAY['remind', 'l1', 'l2', 'l3'], t.level) - 1) + CASE "
            "         WHEN s.held AND t.level = 'l3' THEN 3600 WHEN s.held AND t.level = 'l2' THEN :s "
            "         WHEN s.held THEN s.r / 2 ELSE s.r END) "
            "FROM s WHERE t.org_id = s.org_id AND t.subject_kind = s.subject_kind AND t.subject_id = s.subject_id RETURNING 1"),
            {**o, "s": SPREAD_SECONDS, "gap": GAP_SECONDS, "held": list(chosen)})).rowcount
        kinds = dict((await conn.execute(text(
            "SELECT subject_kind, count(DISTINCT subject_id) FROM item_timers WHERE org_id = ANY (CAST(:orgs AS uuid[])) "
            "GROUP BY subject_kind"), o)).all())
    items = sum(kinds.values())
    assert timers == 4 * items and kinds["action"] + kinds["hazard"] == 2 * (CASES // 2) and kinds["patrol_run"] >= 28

    put_right: dict[UUID, datetime] = {}

    async def put_some_right() -> None:
        waiting = [s for s in chosen if s not in put_right]
        if not waiting:
            return
        async with owner_engine.connect() as conn:
            climbing = (await conn.execute(_CLIMBING, {**o, "ids": waiting})).all()
        for kind, subject, owner, org_id in climbing:
            await _put_right(platform, kind, subject, org_id, owner)
            put_right[subject] = datetime.now(UTC)

    async def all_done() -> bool:
        async with owner_engine.connect() as conn:
            left = (await conn.execute(text(
                "SELECT (SELECT count(*) FROM item_timers WHERE org_id = ANY (CAST(:orgs AS uuid[])) AND fired_at IS NULL), "
                "       (SELECT coalesce(sum(cardinality(recipients)), 0) FROM item_escalations "
                "        WHERE org_id = ANY (CAST(:orgs AS uuid[]))) "
                "     - (SELECT count(*) FROM notifications WHERE org_id = ANY (CAST(:orgs AS uuid[])) AND topic = 'item.escalated')"),
                o)).one()
        return tuple(left) == (0, 0)

    async def keep_putting_right() -> None:  # beside the kills, as owners do
        while True:
            await put_some_right()
            await asyncio.sleep(0.3)

    fleet = Fleet(fleet_env(own_db, BROKER), tmp_path)
    owners = asyncio.create_task(keep_putting_right())
    try:
        await kill_and_restart(fleet, rng, SPREAD_SECONDS + 3 * GAP_SECONDS + 90, all_done, once_up=True)
    finally:
        if owners.done():
            owners.result()  # an owner's failure, raised here
        owners.cancel()

    async with owner_engine.connect() as conn:
        unfired = (await conn.execute(text(
            "SELECT count(*) FROM item_timers WHERE org_id = ANY (CAST(:orgs AS uuid[])) AND fired_at IS NULL"), o)).scalar()
        fired = (await conn.execute(text(
            "SELECT count(*) FROM item_timers WHERE org_id = ANY (CAST(:orgs AS uuid[])) AND fired_at IS NOT NULL"), o)).scalar()
        rungs = {(r.subject_id, r.level): (r.n, r.fired_at) for r in await conn.execute(text(
            "SELECT subject_id, level, count(*) AS n, max(fired_at) AS fired_at FROM item_escalations "
            "WHERE org_id = ANY (CAST(:orgs AS uuid[])) GROUP BY subject_id, level"), o)}
        planted = {(r.subject_id, r.level) for r in await conn.execute(text(
            "SELECT subject_id, level FROM item_timers WHERE org_id = ANY (CAST(:orgs AS uuid[]))"), o)}
        escalations, recipients, nobody = (await conn.execute(text(
            "SELECT count(*), coalesce(sum(cardinality(recipients)), 0), count(*) FILTER (WHERE cardinality(recipients) = 0) "
            "FROM item_escalations "
            "WHERE org_id = ANY (CAST(:orgs AS uuid[]))"), o)).one()
        announced = (await conn.execute(text(
            "SELECT count(*), count(DISTINCT payload->>'escalation_id'), "
            "       count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM item_escalations e WHERE e.org_id = x.org_id "
            "                                           AND e.id = CAST(x.payload->>'escalation_id' AS uuid))) "
            "FROM outbox x WHERE org_id = ANY (CAST(:orgs AS uuid[])) AND topic = 'item.escalated'"), o)).one()
        # Each recipient of each announced rung has its inbox row, and nobody else one.
        missing = (await conn.execute(text(
            "SELECT count(*) FROM outbox x CROSS JOIN LATERAL jsonb_array_elements_text(x.payload->'recipients') AS r(u) "
            "WHERE x.org_id = ANY (CAST(:orgs AS uuid[])) AND x.topic = 'item.escalated' AND NOT EXISTS ("
            "  SELECT 1 FROM notifications n WHERE n.org_id = x.org_id AND n.event_id = x.id AND n.user_id = CAST(r.u AS uuid))"),
            o)).scalar()
        inbox = (await conn.execute(text(
            "SELECT count(*) FROM notifications WHERE org_id = ANY (CAST(:orgs AS uuid[])) AND topic = 'item.escalated'"), o)).scalar()
        late = (await conn.execute(text(
            "SELECT extract(epoch FROM max(fired_at - due_at)) FROM item_escalations WHERE org_id = ANY (CAST(:orgs AS uuid[]))"),
            o)).scalar()
    stopped = 4 * len(put_right) - sum(1 for (s, _) in rungs if s in put_right)
    print(f"\nitem chaos: {items} items ({kinds}), {timers} timers, {escalations} escalations, {inbox} inbox rows, "
          f"{len(put_right)} put right mid-climb ({stopped} rungs stopped), max lateness {late:.2f} s, "
          f"longest time with no scanner {fleet.all_scanners_down:.2f} s")
    assert unfired == 0, "none lost\n" + fleet.log_tail()
    assert all(n == 1 for n, _ in rungs.values()) and set(rungs) == planted and escalations == fired, "each fired exactly once"
    assert tuple(announced) == (escalations, escalations, 0), "each announced once"
    assert nobody == 0 and missing == 0 and inbox == recipients, "each recipient told once\n" + fleet.log_tail()
    reached: dict[UUID, set[str]] = {}
    for subject, level in rungs:
        reached.setdefault(subject, set()).add(level)
    assert all(levels == set(LEVELS) for subject, levels in reached.items() if subject not in put_right), "each climbed to the top"
    assert put_right.keys() == chosen.keys() and stopped >= len(put_right), "those chosen were put right mid-climb"
    for (subject, level), (_, fired_at) in rungs.items():
        if subject in put_right:
            assert level != "l3" and fired_at <= put_right[subject], f"{level} fired after the item was put right"
    check_lateness(late, fleet.all_scanners_down, strict=STRICT)
