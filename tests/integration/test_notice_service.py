"""Notices without GraphQL (domain/notices/): the schedule sweep publishes what is due and expires
what has passed, company by company, one company's failure leaving the others swept; a scheduled
notice withdrawn in time is never published; the fan-out consumer fixes the flats of a project,
of some buildings or of some flats, and a redelivered event changes nothing. Against the real
database, as the application role."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from domain.notices import service
from domain.notices.commands import DraftNotice, NoticeStep, WithdrawNotice
from domain.notices.rules import NoticeDraft
from domain.notices.schedule import publish_and_expire
from domain.unit_of_work import UnitOfWork
from tenants.principal import Grant, Principal
from tenants.roles import Role
from workers import notice_sweep
from workers.handlers import handle_event
from workers.relay import to_message

T0 = datetime.now(UTC).replace(microsecond=0)
# The sweeps' finder judges what is due by the database's clock: a sweep test's times stay behind it.
PAST = T0 - timedelta(days=3)


def uow_of(platform, org, user: uuid.UUID | None = None) -> UnitOfWork:
    p = Principal(kind="user", id=user or org.admin_id, org_id=org.org_id, grants=(Grant(Role.ORG_ADMIN, None),))
    return UnitOfWork(platform, org_id=p.org_id, actor=p.actor, scope=p.scope, may=p.can)


async def approved(platform, org, draft: NoticeDraft, *, now: datetime = T0) -> uuid.UUID:
    """Drafted and submitted by the admin, approved by another."""
    nid = await service.draft_notice(DraftNotice(org.projects["P1"], draft), uow_of(platform, org), now=now)
    await service.submit_notice(NoticeStep(nid), uow_of(platform, org))
    await service.approve_notice(NoticeStep(nid), uow_of(platform, org, uuid.uuid4()), now=now)
    return nid


def plain(**kw) -> NoticeDraft:
    return NoticeDraft(**({"title": "消防演习", "body": "周六上午消防演习。", "kind": "event", "audience": "project"} | kw))


async def states(owner_engine, org) -> dict[str, str]:
    async with owner_engine.connect() as conn:
        rows = await conn.execute(text("SELECT title, state FROM notices WHERE org_id = :o"), {"o": org.org_id})
        return {r.title: r.state for r in rows}


async def published_events(owner_engine, org) -> int:
    async with owner_engine.connect() as conn:
        return (await conn.execute(text("SELECT count(*) FROM outbox WHERE org_id = :o AND topic = 'notice.published'"),
                                   {"o": org.org_id})).scalar_one()


async def test_the_sweep_publishes_due_notices_and_expires_passed_ones(platform, owner_engine, org):
    await approved(platform, org, plain(title="明早", publish_at=PAST + timedelta(hours=1), expires_at=PAST + timedelta(hours=3)), now=PAST)
    await approved(platform, org, plain(title="后天", publish_at=PAST + timedelta(days=2)), now=PAST)
    cancelled = await approved(platform, org, plain(title="取消", publish_at=PAST + timedelta(hours=1)), now=PAST)
    await service.withdraw_notice(WithdrawNotice(cancelled, "改期"), uow_of(platform, org))
    assert await states(owner_engine, org) == {"明早": "scheduled", "后天": "scheduled", "取消": "withdrawn"}

    assert await notice_sweep.sweep(platform, now=PAST + timedelta(minutes=30)) >= 0
    assert (await states(owner_engine, org))["明早"] == "scheduled"
    await notice_sweep.sweep(platform, now=PAST + timedelta(hours=1, seconds=5))
    assert await states(owner_engine, org) == {"明早": "published", "后天": "scheduled", "取消": "withdrawn"}
    assert await published_events(owner_engine, org) == 1
    await notice_sweep.sweep(platform, now=PAST + timedelta(hours=1, seconds=15))  # nothing twice
    assert await published_events(owner_engine, org) == 1
    await notice_sweep.sweep(platform, now=PAST + timedelta(hours=3, seconds=5))
    assert (await states(owner_engine, org))["明早"] == "expired"
    async with owner_engine.connect() as conn:
        actors = (await conn.execute(text("SELECT action, actor FROM audit_log WHERE org_id = :o AND action IN "
                                          "('notice.published', 'notice.expired') ORDER BY at"), {"o": org.org_id})).all()
    assert [tuple(a) for a in actors] == [("notice.published", "system:notice-schedule"), ("notice.expired", "system:notice-schedule")]


async def test_one_company_failing_leaves_the_other_swept(platform, owner_engine, org, other_org, caplog):
    for o in (org, other_org):
        await approved(platform, o, plain(title="到点", publish_at=PAST + timedelta(minutes=5)), now=PAST)
    at = PAST + timedelta(minutes=6)

    async def work(conn, org_id):
        done = await publish_and_expire(conn, org_id, at)
        if org_id == org.org_id:
            raise RuntimeError("this company's share breaks after publishing")
        return done

    with caplog.at_level(logging.ERROR, logger=notice_sweep.log.name):
        assert await notice_sweep.SWEEP.each(platform, [org.org_id, other_org.org_id], work) == 1
    assert await states(owner_engine, org) == {"到点": "scheduled"} and await published_events(owner_engine, org) == 0
    assert await states(owner_engine, other_org) == {"到点": "published"} and await published_events(owner_engine, other_org) == 1
    assert any(str(org.org_id) in r.getMessage() for r in caplog.records if r.name == notice_sweep.log.name)
    await notice_sweep.sweep(platform, now=at)  # the next round picks it up
    assert await states(owner_engine, org) == {"到点": "published"}


async def flats(owner_engine, org, project: str, building: str, n: int) -> tuple[uuid.UUID, list[uuid.UUID]]:
    b = uuid.uuid4()
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO buildings (org_id, project_id, id, name) VALUES (:o, :p, :b, :n)"),
                           {"o": org.org_id, "p": org.projects[project], "b": b, "n": building})
        ids = (await conn.execute(text(
            "INSERT INTO units (org_id, project_id, building_id, number, floor) SELECT :o, :p, :b, i::text, 1 "
            "FROM generate_series(101, 100 + :n) i RETURNING id"), {"o": org.org_id, "p": org.projects[project], "b": b, "n": n})).scalars()
        return b, list(ids)


async def fan_out_all(platform, owner_engine, org, times: int = 1) -> None:
    async with owner_engine.connect() as conn:
        rows = (await conn.execute(text("SELECT * FROM outbox WHERE org_id = :o AND topic = 'notice.published'"), {"o": org.org_id})).all()
    for row in rows:
        for _ in range(times):
            await handle_event(platform, to_message(row).args[0])


async def test_the_fan_out_fixes_the_flats_of_each_audience_once(platform, owner_engine, org, other_org):
    b1, in_b1 = await flats(owner_engine, org, "P1", "1号楼", 4)
    _, in_b2 = await flats(owner_engine, org, "P1", "2号楼", 3)
    await flats(owner_engine, org, "P2", "别的项目", 5)
    await flats(owner_engine, other_org, "P1", "别的公司", 5)
    whole = await approved(platform, org, plain(title="全体"))
    building = await approved(platform, org, plain(title="一栋", audience="buildings", building_ids=(b1,)))
    some = await approved(platform, org, plain(title="两户", audience="units", unit_ids=(in_b2[0], in_b1[1])))
    await fan_out_all(platform, owner_engine, org, times=2)  # the second delivery finds its mark
    async with owner_engine.connect() as conn:
        got = {r.id: (r.recipient_count, r.n) for r in await conn.execute(text(
            "SELECT n.id, n.recipient_count, (SELECT count(*) FROM notice_recipients r WHERE r.notice_id = n.id) AS n "
            "FROM notices n WHERE n.org_id = :o"), {"o": org.org_id})}
        batches = (await conn.execute(text("SELECT count(*) FROM outbox WHERE org_id = :o AND topic = 'notice.recipients'"),
                                      {"o": org.org_id})).scalar_one()
    assert got == {whole: (7, 7), building: (4, 4), some: (2, 2)}
    assert batches == 0, "no bridge chosen: no batches"
