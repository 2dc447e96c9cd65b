"""显示号码 without GraphQL: a staff member's full number is read with its audit row, in one
commit; a refused reveal writes nothing; another company's staff member is not found."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from domain.directory import service as directory
from domain.directory.commands import CreateStaff
from domain.errors import DomainError, ErrorCode
from domain.staff import service
from domain.unit_of_work import UnitOfWork
from tenants.context import TenantScope
from tenants.principal import Grant, Principal
from tenants.roles import Role


def uow_of(platform, org, role: Role = Role.ORG_ADMIN, project: uuid.UUID | None = None) -> UnitOfWork:
    p = Principal(kind="user", id=org.admin_id, org_id=org.org_id, grants=(Grant(role, project),))
    return UnitOfWork(platform, org_id=p.org_id, actor=p.actor, scope=p.scope, may=p.can)


async def a_staff_member(platform, org, project: str, phone: str | None = "13912345678") -> uuid.UUID:
    uow = UnitOfWork(platform, org_id=org.org_id, actor="user:test", scope=TenantScope(org_id=org.org_id, actor="user:test"))
    return await directory.create_staff(CreateStaff(name="赵工", project_id=org.projects[project], phone=phone), uow,
                                        cipher=platform.cipher)


async def reveals(owner_engine, org) -> list[tuple]:
    async with owner_engine.connect() as conn:
        return [tuple(r) for r in (await conn.execute(text(
            "SELECT entity_id, project_id, actor, data FROM audit_log WHERE org_id = :o AND action = 'personal_data.revealed' "
            "ORDER BY id"), {"o": org.org_id})).all()]


def reveal(platform, staff_id, uow):
    return service.reveal_staff_phone(staff_id, uow, unseal=platform.cipher.decrypt)


async def test_the_number_is_revealed_with_its_audit_row(platform, owner_engine, org):
    s = await a_staff_member(platform, org, "P1")
    assert await reveal(platform, s, uow_of(platform, org, Role.PROJECT_MANAGER, org.projects["P1"])) == "13912345678"
    assert await reveals(owner_engine, org) == [(s, org.projects["P1"], f"user:{org.admin_id}", {"field": "phone"})]
    # No number on file: nothing to show, and the look is recorded all the same.
    none = await a_staff_member(platform, org, "P1", phone=None)
    assert await reveal(platform, none, uow_of(platform, org)) is None
    assert len(await reveals(owner_engine, org)) == 2


async def test_refused_reveals_write_nothing(platform, owner_engine, org, other_org):
    s1, s2 = await a_staff_member(platform, org, "P1"), await a_staff_member(platform, org, "P2")
    cases = [
        (s1, uow_of(platform, other_org), ErrorCode.NOT_FOUND, "staffId"),  # another company's staff member
        (s2, uow_of(platform, org, Role.PROJECT_MANAGER, org.projects["P1"]), ErrorCode.NOT_FOUND, "staffId"),  # another project
        (s1, uow_of(platform, org, Role.TECHNICIAN, org.projects["P1"]), ErrorCode.FORBIDDEN, None),
    ]
    for staff_id, uow, code, field in cases:
        with pytest.raises(DomainError) as e:
            await reveal(platform, staff_id, uow)
        assert (e.value.code, e.value.field) == (code, field)
    assert await reveals(owner_engine, org) == []
