"""时效设置 through the service, without GraphQL: a change commits with its audit row; a refused one
writes nothing; another company's project and calendar days are out of reach."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from domain.errors import DomainError, ErrorCode
from domain.sla import service
from domain.sla.calendar import ClockKind
from domain.sla.commands import RemoveCalendarDay, SetCalendarDay, SetEscalationLadder, SetSlaPolicy
from domain.sla.policy import Ladder, Policy
from domain.unit_of_work import UnitOfWork
from tenants.principal import Grant, Principal
from tenants.roles import Role

POLICY = Policy(ClockKind.ALWAYS, 10, 60, 600, 2880)


def uow_of(platform, org) -> UnitOfWork:
    p = Principal(kind="user", id=org.admin_id, org_id=org.org_id, grants=(Grant(Role.ORG_ADMIN, None),))
    return UnitOfWork(platform, org_id=p.org_id, actor=p.actor, scope=p.scope, may=p.can)


async def _audits(owner_engine, org_id, action) -> list:
    async with owner_engine.connect() as conn:
        return list((await conn.execute(text("SELECT project_id, data FROM audit_log WHERE org_id = :o AND action = :a"),
                                        {"o": org_id, "a": action})).all())


async def _count(owner_engine, sql, **params) -> int:
    async with owner_engine.connect() as conn:
        return (await conn.execute(text(sql), params)).scalar_one()


async def test_a_policy_override_commits_with_its_audit_row_and_another_companys_project_is_refused(platform, owner_engine, org, other_org):
    mine, theirs = org.projects["P1"], other_org.projects["P1"]
    await service.set_sla_policy(SetSlaPolicy(mine, "repair", "major", POLICY), uow_of(platform, org))
    rows = await _audits(owner_engine, org.org_id, "sla.policy_set")
    assert [(r.project_id, r.data["minutes"]) for r in rows] == [(mine, [10, 60, 600, 2880])]

    with pytest.raises(DomainError) as e:  # the rule refuses: no row, no audit
        await service.set_sla_policy(SetSlaPolicy(mine, "repair", "general", Policy(ClockKind.ALWAYS, 60, 10, 600, 2880)),
                                     uow_of(platform, org))
    assert e.value.code is ErrorCode.VALIDATION
    with pytest.raises(DomainError) as e:  # another company's project
        await service.set_sla_policy(SetSlaPolicy(theirs, "repair", "major", POLICY), uow_of(platform, org))
    assert (e.value.code, e.value.field) == (ErrorCode.NOT_FOUND, "projectId")
    assert len(await _audits(owner_engine, org.org_id, "sla.policy_set")) == 1
    assert await _count(owner_engine, "SELECT count(*) FROM sla_policies WHERE project_id = ANY(:p)", p=[mine, theirs]) == 1


async def test_the_ladder_and_calendar_days_commit_with_audit_rows_and_refusals_write_nothing(platform, owner_engine, org, other_org):
    await service.set_escalation_ladder(SetEscalationLadder(Ladder(70, 100, 140, 180)), uow_of(platform, org))
    assert [r.data for r in await _audits(owner_engine, org.org_id, "sla.ladder_set")] == [{"percent": [70, 100, 140, 180]}]
    with pytest.raises(DomainError):
        await service.set_escalation_ladder(SetEscalationLadder(Ladder(100, 90, 140, 180)), uow_of(platform, org))
    assert len(await _audits(owner_engine, org.org_id, "sla.ladder_set")) == 1

    day = date(2031, 10, 1)
    await service.set_calendar_day(SetCalendarDay(day, False, "  国庆节 "), uow_of(platform, other_org))
    await service.set_calendar_day(SetCalendarDay(day, False, "国庆节"), uow_of(platform, org))
    assert [r.data for r in await _audits(owner_engine, org.org_id, "calendar.day_set")] == [
        {"day": "2031-10-01", "working": False, "name": "国庆节"}]
    with pytest.raises(DomainError) as e:
        await service.set_calendar_day(SetCalendarDay(date(2031, 10, 2), False, " "), uow_of(platform, org))
    assert (e.value.code, e.value.field) == (ErrorCode.VALIDATION, "name")

    await service.remove_calendar_day(RemoveCalendarDay(day), uow_of(platform, org))
    with pytest.raises(DomainError) as e:  # gone from this company; the other company's same day is not reachable
        await service.remove_calendar_day(RemoveCalendarDay(day), uow_of(platform, org))
    assert (e.value.code, e.value.field) == (ErrorCode.NOT_FOUND, "day")
    assert len(await _audits(owner_engine, org.org_id, "calendar.day_removed")) == 1
    assert await _count(owner_engine, "SELECT count(*) FROM calendar_days WHERE org_id = :o AND day = :d",
                        o=other_org.org_id, d=day) == 1
