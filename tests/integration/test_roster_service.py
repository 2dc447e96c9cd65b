"""排班 through the service, without GraphQL: a shift is added and removed with its audit rows;
a refused shift writes nothing; another company's project and shifts are out of reach."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from domain.errors import DomainError, ErrorCode
from domain.roster import service
from domain.roster.commands import AddDutyShift, RemoveDutyShift
from domain.unit_of_work import UnitOfWork
from tenants.principal import Grant, Principal
from tenants.roles import Role
from tests.conftest import add_user


def uow_of(platform, org) -> UnitOfWork:
    p = Principal(kind="user", id=org.admin_id, org_id=org.org_id, grants=(Grant(Role.ORG_ADMIN, None),))
    return UnitOfWork(platform, org_id=p.org_id, actor=p.actor, scope=p.scope, may=p.can)


async def _one(owner_engine, sql, **params):
    async with owner_engine.connect() as conn:
        return (await conn.execute(text(sql), params)).scalar_one()


async def _add(org, project, department, user, hours=8) -> AddDutyShift:
    start = datetime.now(UTC)
    return AddDutyShift(project_id=project, department_id=department, user_id=user, starts_at=start,
                        ends_at=start + timedelta(hours=hours), request={})


async def test_a_shift_is_added_and_removed_with_audit_rows_and_refusals_write_nothing(platform, owner_engine, org, other_org):
    project, theirs = org.projects["P1"], other_org.projects["P1"]
    dept = await _one(owner_engine, "SELECT id FROM departments WHERE project_id = :p AND kind = 'engineering'", p=project)
    their_dept = await _one(owner_engine, "SELECT id FROM departments WHERE project_id = :p AND kind = 'engineering'", p=theirs)
    tech = await add_user(owner_engine, org, "tech", "technician", "P1")
    their_tech = await add_user(owner_engine, other_org, "tech", "technician", "P1")
    audits = "SELECT count(*) FROM audit_log WHERE org_id = :o AND action = :a AND entity_id = :e"

    shift_id = await service.add_duty_shift(await _add(org, project, dept, tech), uow_of(platform, org))
    assert await _one(owner_engine, audits, o=org.org_id, a="duty_shift.added", e=shift_id) == 1
    assert await _one(owner_engine, "SELECT user_id FROM duty_shifts WHERE id = :s", s=shift_id) == tech

    with pytest.raises(DomainError) as e:  # overlaps the first: refused, nothing written
        await service.add_duty_shift(await _add(org, project, dept, tech), uow_of(platform, org))
    assert (e.value.code, e.value.field) == (ErrorCode.CONFLICT, "startsAt")
    with pytest.raises(DomainError) as e:  # another company's project
        await service.add_duty_shift(await _add(org, theirs, their_dept, their_tech), uow_of(platform, org))
    assert e.value.code is ErrorCode.NOT_FOUND
    assert await _one(owner_engine, "SELECT count(*) FROM duty_shifts WHERE org_id = :o", o=org.org_id) == 1
    assert await _one(owner_engine, "SELECT count(*) FROM duty_shifts WHERE org_id = :o", o=other_org.org_id) == 0
    assert await _one(owner_engine, "SELECT count(*) FROM audit_log WHERE org_id = :o AND action = 'duty_shift.added'",
                      o=org.org_id) == 1

    theirs_id = await service.add_duty_shift(await _add(other_org, theirs, their_dept, their_tech), uow_of(platform, other_org))
    with pytest.raises(DomainError) as e:  # another company's shift
        await service.remove_duty_shift(RemoveDutyShift(theirs_id, request={}), uow_of(platform, org))
    assert (e.value.code, e.value.field) == (ErrorCode.NOT_FOUND, "shiftId")
    assert await _one(owner_engine, "SELECT count(*) FROM duty_shifts WHERE id = :s", s=theirs_id) == 1

    assert await service.remove_duty_shift(RemoveDutyShift(shift_id, request={}), uow_of(platform, org)) == shift_id
    assert await _one(owner_engine, audits, o=org.org_id, a="duty_shift.removed", e=shift_id) == 1
    assert await _one(owner_engine, "SELECT count(*) FROM duty_shifts WHERE id = :s", s=shift_id) == 0
