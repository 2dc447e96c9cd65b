"""A new case's clocks start in one statement for its targets and one for its timers
(domain/sla/repository.py `_start_fresh`): the rows and events are those the general path — one
target at a time, each looked up and its timers cleared first — writes for the same case."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from domain.cases.commands import RegisterCase
from domain.cases.intake import register_case
from domain.cases.model import Actor
from domain.cases.states import CaseKind, Channel, Severity
from domain.sla.repository import SlaRecorder
from domain.unit_of_work import UnitOfWork
from tenants.context import TenantScope

NOW = datetime(2026, 11, 20, 9, 10, tzinfo=UTC)  # a Friday: working-hours clocks run over the weekend

TARGETS = ("SELECT target, round, clock, started_at, budget_minutes, paused_minutes, due_at, provisional, paused_at, met_at "
           "FROM case_targets WHERE case_id = :c ORDER BY target")
TIMERS = "SELECT target, round, level, due_at, fired_at FROM sla_timers WHERE case_id = :c ORDER BY target, level"
EVENTS = "SELECT topic, payload - 'case_id' - 'number' - 'escalation_id' FROM outbox WHERE payload->>'case_id' = :c ORDER BY created_at"


async def _register(platform, org, cmd: RegisterCase):
    async with UnitOfWork(platform, org_id=org.org_id, actor="test", scope=TenantScope(org.org_id, None, "test")) as uow:
        registered = await register_case(uow, cmd, org_id=org.org_id, receiver=Actor(org.admin_id), now=NOW)
        await uow.commit()
        return registered.case.id


async def _written(owner_engine, case_id) -> list[list[tuple]]:
    """The case's targets, timers and events (ids left out)."""
    async with owner_engine.connect() as conn:
        return [[tuple(r) for r in await conn.execute(text(sql), {"c": case_id if sql != EVENTS else str(case_id)})]
                for sql in (TARGETS, TIMERS, EVENTS)]


@pytest.mark.parametrize(("kind", "channel", "clock"), [
    (CaseKind.REPAIR, Channel.PHONE, "always"),
    (CaseKind.COMPLAINT, Channel.HQ_HOTLINE, "always"),  # a skip-level complaint escalates after its clocks start
    (CaseKind.REPAIR, Channel.PHONE, "working_hours"),
])
async def test_a_new_cases_clocks_are_those_the_general_path_writes(platform, org, owner_engine, monkeypatch, kind, channel,
                                                                     clock):
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE sla_policies SET clock = :k WHERE org_id = :o"), {"k": clock, "o": org.org_id})
    cmd = RegisterCase(project_id=org.projects["P1"], kind=kind, severity=Severity.GENERAL, channel=channel,
                       category_code="other", description="楼道灯不亮", received_at=NOW)
    fresh = await _register(platform, org, cmd)
    with monkeypatch.context() as m:
        m.setattr(SlaRecorder, "_fresh", lambda self, step: False)  # each target as a transition starts it
        general = await _register(platform, org, replace(cmd))
    fresh_rows, general_rows = await _written(owner_engine, fresh), await _written(owner_engine, general)
    targets, timers, events = fresh_rows
    assert len(targets) == 3 and len(timers) == 12
    assert {t[2] for t in targets} == {clock}
    assert [e[0] for e in events] == ["case.received"] + (["case.escalated"] if channel is Channel.HQ_HOTLINE else [])
    assert fresh_rows == general_rows


async def test_a_later_transition_finds_the_fresh_clocks(platform, org, owner_engine):
    """Committing a new case meets its commitment clock and moves its resolution target: the
    general path reads the rows the fresh path wrote."""
    cmd = RegisterCase(project_id=org.projects["P1"], kind=CaseKind.REPAIR, severity=Severity.GENERAL, channel=Channel.PHONE,
                       category_code="other", description="电梯异响", received_at=NOW)
    case_id = await _register(platform, org, cmd)
    from domain.cases.repository import CaseRepository

    async with UnitOfWork(platform, org_id=org.org_id, actor="test", scope=TenantScope(org.org_id, None, "test")) as uow:
        repo = CaseRepository(uow)
        case = await repo.get_for_update(case_id)
        assert case is not None
        due = NOW.replace(hour=11)
        case.commit(due, default_due=due, actor=Actor(org.admin_id, supervisor=True), now=NOW)
        await repo.save(case)
        await uow.commit()
    targets, timers, _ = await _written(owner_engine, case_id)
    by_target = {t[0]: t for t in targets}
    assert by_target["commit"][9] == NOW  # met
    assert by_target["resolve"][6] == due and by_target["resolve"][2] == "always"
    assert sorted(t[3] for t in timers if t[0] == "resolve")[-1] == NOW + (due - NOW) * 2  # l3 at twice the budget
