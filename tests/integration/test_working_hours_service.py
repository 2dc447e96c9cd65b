"""工作时间 through the service, without GraphQL: the hours are set with their audit row inside the
company's wall; another company's project is NOT_FOUND and keeps its hours."""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import text

from domain.errors import DomainError, ErrorCode
from domain.projects import service
from domain.projects.commands import SetWorkingHours
from domain.projects.model import WorkingHours
from domain.unit_of_work import UnitOfWork
from tenants.principal import Grant, Principal
from tenants.roles import Role

NINE_TO_SIX = WorkingHours(time(9, 0), time(18, 0))


async def _hours(owner_engine, project_id):
    async with owner_engine.connect() as conn:
        return (await conn.execute(text(
            "SELECT work_opens, work_closes, (SELECT count(*) FROM audit_log WHERE entity_id = p.id "
            "AND action = 'project.working_hours_set') AS audits FROM projects p WHERE id = :p"), {"p": project_id})).one()


def uow_of(platform, org) -> UnitOfWork:
    p = Principal(kind="user", id=org.admin_id, org_id=org.org_id, grants=(Grant(Role.ORG_ADMIN, None),))
    return UnitOfWork(platform, org_id=p.org_id, actor=p.actor, scope=p.scope, may=p.can)


async def test_hours_are_set_in_the_companys_own_wall_only(platform, owner_engine, org, other_org):
    mine, theirs = org.projects["P1"], other_org.projects["P1"]
    before = await _hours(owner_engine, theirs)
    assert await service.set_working_hours(SetWorkingHours(mine, NINE_TO_SIX), uow_of(platform, org)) == mine
    assert tuple(await _hours(owner_engine, mine)) == (time(9, 0), time(18, 0), 1)

    with pytest.raises(DomainError) as e:
        await service.set_working_hours(SetWorkingHours(theirs, NINE_TO_SIX), uow_of(platform, org))
    assert (e.value.code, e.value.field) == (ErrorCode.NOT_FOUND, "projectId")
    assert await _hours(owner_engine, theirs) == before
