"""A project's number of the day is taken by COMMIT itself (domain/cases/repository.py, migration
0059): gapless and unique under concurrent intake, returned by a rollback, written into the case's
events, and the counter's row lock held only from then to the end of the commit — a second
registration writes its case while the first is still open. A use case that must know the number
before it commits takes it in its last step (CaseRepository.take_number)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from domain.cases.commands import RegisterCase
from domain.cases.intake import Registered, register_case
from domain.cases.repository import CaseRepository, stand_in
from domain.cases.model import Actor
from domain.cases.states import CaseKind, Channel, Severity
from domain.errors import DomainError, ErrorCode
from domain.unit_of_work import UnitOfWork
from tenants.context import TenantScope

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)  # 11:00 in Beijing
PREFIX = "GD-P1-20261207-"


def _uow(platform, org) -> UnitOfWork:
    return UnitOfWork(platform, org_id=org.org_id, actor="test", scope=TenantScope(org.org_id, None, "test"))


async def _registered(uow: UnitOfWork, org) -> Registered:
    cmd = RegisterCase(project_id=org.projects["P1"], kind=CaseKind.REPAIR, severity=Severity.GENERAL, channel=Channel.PHONE,
                       category_code="water_power", description="楼道灯不亮")
    return await register_case(uow, cmd, org_id=org.org_id, receiver=Actor(org.admin_id), now=NOW)


async def _register(platform, org) -> Registered:
    async with _uow(platform, org) as uow:
        registered = await _registered(uow, org)
        await uow.commit()
    return registered


async def _stored(owner_engine, org) -> list[tuple[str, str]]:
    """Each case's number beside the number its registration event carries."""
    async with owner_engine.connect() as conn:
        rows = await conn.execute(text(
            "SELECT c.number, o.payload->>'number' AS announced FROM cases c "
            "JOIN outbox o ON o.org_id = c.org_id AND o.topic = 'case.received' AND o.payload->>'case_id' = c.id::text "
            "WHERE c.org_id = :o ORDER BY c.number"), {"o": org.org_id})
        return [(r.number, r.announced) for r in rows]


async def test_forty_concurrent_registrations_into_one_project_are_numbered_1_to_40(platform, org, owner_engine):
    registered = await asyncio.gather(*(_register(platform, org) for _ in range(40)))
    expected = [f"{PREFIX}{i:04d}" for i in range(1, 41)]
    assert len({r.case.id for r in registered}) == 40
    assert await _stored(owner_engine, org) == [(n, n) for n in expected]
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT last FROM case_numbers WHERE org_id = :o"), {"o": org.org_id})).scalar_one() == 40


async def test_a_rolled_back_registration_burns_no_number(platform, org, owner_engine):
    first = await _register(platform, org)
    # Refused after its number was taken: a step left for after the number fails, the transaction rolls back.
    try:
        async with _uow(platform, org) as uow:
            refused = await _registered(uow, org)

            async def refuse() -> None:
                assert await CaseRepository(uow).take_number(refused.case.id) == f"{PREFIX}0002"
                raise DomainError(ErrorCode.INVALID_STATE, "测试 test")

            uow.at_commit(refuse)
            await uow.commit()
    except DomainError as e:
        assert e.code is ErrorCode.INVALID_STATE
    else:
        raise AssertionError("the refusal did not leave the unit of work")
    # Left without commit: the number was never taken.
    async with _uow(platform, org) as uow:
        await _registered(uow, org)
    last = await _register(platform, org)
    assert await _stored(owner_engine, org) == [(f"{PREFIX}0001", f"{PREFIX}0001"), (f"{PREFIX}0002", f"{PREFIX}0002")]
    assert await _numbers(owner_engine, first, last) == [f"{PREFIX}0001", f"{PREFIX}0002"]


async def _numbers(owner_engine, *registered: Registered) -> list[str]:
    async with owner_engine.connect() as conn:
        return [(await conn.execute(text("SELECT number FROM cases WHERE id = :c"), {"c": r.case.id})).scalar_one()
                for r in registered]


async def test_until_commit_a_case_carries_its_stand_in_and_its_events_too(platform, org, owner_engine):
    async with _uow(platform, org) as uow:
        registered = await _registered(uow, org)
        inside = (await uow.conn.execute(text("SELECT number FROM cases WHERE org_id = :o AND id = :c"),
                                         {"o": org.org_id, "c": registered.case.id})).scalar_one()
        assert inside == stand_in(registered.case.id)
        assert [e.payload["number"] for e in registered.case.events if e.topic == "case.received"] == [inside]
        await uow.commit()
    assert await _stored(owner_engine, org) == [(f"{PREFIX}0001", f"{PREFIX}0001")]


async def test_a_number_taken_in_the_last_step_is_not_taken_again_at_commit(platform, org, owner_engine):
    async with _uow(platform, org) as uow:
        registered = await _registered(uow, org)
        taken: list[str] = []

        async def take() -> None:
            taken.append(await CaseRepository(uow).take_number(registered.case.id))
            taken.append(await CaseRepository(uow).take_number(registered.case.id))  # asked twice: the same number

        uow.at_commit(take)
        await uow.commit()
    assert taken == [f"{PREFIX}0001", f"{PREFIX}0001"]
    assert await _stored(owner_engine, org) == [(f"{PREFIX}0001", f"{PREFIX}0001")]
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT last FROM case_numbers WHERE org_id = :o"), {"o": org.org_id})).scalar_one() == 1


async def test_no_company_takes_a_number_for_another_company_s_case(platform, org, other_org, owner_engine):
    mine = await _register(platform, org)
    async with _uow(platform, other_org) as uow:
        with pytest.raises(DBAPIError, match="not the company of this transaction"):
            await uow.conn.execute(text("SELECT case_number_take(:o, :c)"), {"o": org.org_id, "c": mine.case.id})
    async with _uow(platform, other_org) as uow:  # under its own company's name: the wall hides the case
        assert (await uow.conn.execute(text("SELECT case_number_take(:o, :c)"),
                                       {"o": other_org.org_id, "c": mine.case.id})).scalar() is None
    assert await _numbers(owner_engine, mine) == [f"{PREFIX}0001"]


async def test_the_counter_is_locked_only_from_the_last_statement_to_commit(platform, org, owner_engine):
    """One transaction stops inside its commit, just after taking its number in its last step; a
    second one still writes its whole case meanwhile, and only its commit waits, for the first's."""
    holding, release = asyncio.Event(), asyncio.Event()

    async def first() -> Registered:
        async with _uow(platform, org) as uow:
            registered = await _registered(uow, org)

            async def hold() -> None:  # the counter row is locked from here to COMMIT
                await CaseRepository(uow).take_number(registered.case.id)
                holding.set()
                await release.wait()

            uow.at_commit(hold)
            await uow.commit()
        return registered

    one = asyncio.create_task(first())
    await holding.wait()
    async with _uow(platform, org) as uow:
        await uow.conn.execute(text("SET LOCAL lock_timeout = '60s'"))  # a safety net should the case's writes wait
        pid = (await uow.conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        second = await _registered(uow, org)  # the case row, its SLA targets and timers: no wait on the first
        assert (await uow.conn.execute(text("SELECT count(*) FROM cases WHERE id = :c"), {"c": second.case.id})).scalar() == 1
        assert not one.done()
        committing = asyncio.create_task(uow.commit())
        async with owner_engine.connect() as conn:  # its COMMIT, numbering it, waits on the first's row lock
            while (await conn.execute(text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :p"),
                                      {"p": pid})).scalar() != "Lock":
                assert not committing.done()
                await asyncio.sleep(0.02)
        release.set()
        await committing
    registered = await one
    assert await _numbers(owner_engine, registered, second) == [f"{PREFIX}0001", f"{PREFIX}0002"]
    assert await _stored(owner_engine, org) == [(f"{PREFIX}0001", f"{PREFIX}0001"), (f"{PREFIX}0002", f"{PREFIX}0002")]
