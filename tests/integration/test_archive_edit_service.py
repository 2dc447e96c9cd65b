"""Editing the archive without GraphQL (domain/archive/service.py): a command and a unit of work
against the real database. A change commits with its audit row and event; the same key again
answers the first result and writes nothing; a refusal — no archive:manage, another company's
record, a natural key already on file — writes nothing, not even the key. Phones and ID numbers
are stored sealed: ciphertext, keyed hash, mask; the clear value nowhere."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from domain.archive import service
from domain.archive.commands import (
    ConfirmResident, CreateBuilding, CreateUnit, MoveIn, MoveOut, RegisterResident, UpdateBuilding, UpdateResident,
)
from domain.archive.kinds import OccupantRole
from domain.errors import DomainError, ErrorCode, ErrorReason
from domain.unit_of_work import UnitOfWork
from tenants.principal import Grant, Principal
from tenants.roles import Role


def uow_of(platform, org, role: Role = Role.ORG_ADMIN, project: str | None = None) -> UnitOfWork:
    p = Principal(kind="user", id=org.admin_id, org_id=org.org_id, grants=(Grant(role, org.projects[project] if project else None),))
    return UnitOfWork(platform, org_id=p.org_id, actor=p.actor, scope=p.scope, may=p.can)


async def written(owner_engine, org) -> dict:
    async with owner_engine.connect() as conn:
        def rows(sql):
            return conn.execute(text(sql), {"o": org.org_id})
        return {
            "buildings": (await rows("SELECT name, floors FROM buildings WHERE org_id = :o ORDER BY name")).all(),
            "units": (await rows("SELECT number, entrance FROM units WHERE org_id = :o ORDER BY number")).all(),
            "residents": (await rows("SELECT name, phone_masked, verified_at IS NOT NULL FROM residents WHERE org_id = :o "
                                     "ORDER BY name")).all(),
            "stays": (await rows("SELECT role, moved_in_on, moved_out_on FROM occupancies WHERE org_id = :o "
                                 "ORDER BY created_at")).all(),
            "audit": (await rows("SELECT action, data FROM audit_log WHERE org_id = :o AND entity IN "
                                 "('building', 'unit', 'resident', 'occupancy') ORDER BY id")).all(),
            "events": (await rows("SELECT topic FROM outbox WHERE org_id = :o AND topic ~ '^(building|unit|resident|occupancy)\\.' "
                                  "ORDER BY created_at")).scalars().all(),
            "keys": (await rows("SELECT key FROM idempotency_keys WHERE org_id = :o ORDER BY key")).scalars().all(),
        }


async def refused(use_case) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await use_case
    return caught.value


async def test_a_building_and_flat_record_once_and_refusals_write_nothing(platform, owner_engine, org, other_org):
    p1 = org.projects["P1"]
    cmd = CreateBuilding(project_id=p1, name="3号楼", floors=18, idempotency_key="b-1")
    # Without archive:manage (a dispatcher of P1), or in a project out of reach: nothing written.
    e = await refused(service.create_building(cmd, uow_of(platform, org, Role.DISPATCHER, "P1")))
    assert e.code is ErrorCode.FORBIDDEN and e.message.startswith("您需要权限")
    e = await refused(service.create_building(cmd, uow_of(platform, org, Role.PROJECT_MANAGER, "P2")))
    assert e.code is ErrorCode.NOT_FOUND
    assert (await written(owner_engine, org))["keys"] == []

    building = await service.create_building(cmd, uow_of(platform, org))
    once = await written(owner_engine, org)
    assert await service.create_building(cmd, uow_of(platform, org)) == building  # replayed: the same id, nothing more
    assert await written(owner_engine, org) == once
    assert once["buildings"] == [("3号楼", 18)] and once["events"] == ["building.created"] and once["keys"] == ["b-1"]

    e = await refused(service.create_building(CreateBuilding(project_id=p1, name="3号楼", floors=9), uow_of(platform, org)))
    assert (e.code, e.reason, e.field) == (ErrorCode.CONFLICT, ErrorReason.BUILDING_EXISTS, "name")
    assert e.message.startswith("本项目已有楼栋") and e.existing == ("Building", building)
    # Another company's caller does not find the building.
    e = await refused(service.update_building(UpdateBuilding(building, name="X"), uow_of(platform, other_org)))
    assert e.code is ErrorCode.NOT_FOUND
    e = await refused(service.create_unit(CreateUnit(building, "1502", 15), uow_of(platform, other_org)))
    assert e.code is ErrorCode.NOT_FOUND

    await service.create_unit(CreateUnit(building, "1502", 15, entrance="2"), uow_of(platform, org))
    e = await refused(service.create_unit(CreateUnit(building, " 1502 ", 15, entrance="2"), uow_of(platform, org)))
    assert (e.code, e.reason) == (ErrorCode.CONFLICT, ErrorReason.UNIT_EXISTS)
    await service.create_unit(CreateUnit(building, "1502", 15), uow_of(platform, org))  # another entrance: another flat
    assert sorted(tuple(u) for u in (await written(owner_engine, org))["units"]) == [("1502", ""), ("1502", "2")]
    assert (await written(owner_engine, other_org))["buildings"] == []


async def test_a_resident_registers_moves_and_is_confirmed(platform, owner_engine, org):
    p1 = org.projects["P1"]
    building = await service.create_building(CreateBuilding(p1, "1号楼", 6), uow_of(platform, org))
    unit = await service.create_unit(CreateUnit(building, "301", 3), uow_of(platform, org))
    other_unit = await service.create_unit(CreateUnit(building, "302", 3), uow_of(platform, org))
    cmd = RegisterResident(project_id=p1, name="王建国", phone="+86 138-0013-8000", id_number="11010519491231002X",
                           unit_id=unit, role=OccupantRole.OWNER, moved_in_on=date(2021, 3, 1), idempotency_key="r-1")
    resident = await service.register_resident(cmd, uow_of(platform, org), cipher=platform.cipher)
    assert await service.register_resident(cmd, uow_of(platform, org), cipher=platform.cipher) == resident
    async with owner_engine.connect() as conn:
        row = (await conn.execute(text("SELECT phone_enc, phone_hash, phone_masked, id_number_masked, id_kind "
                                       "FROM residents WHERE id = :r"), {"r": resident})).one()
    assert platform.cipher.decrypt(row.phone_enc) == "13800138000"  # canonical before it is sealed
    assert row.phone_hash == platform.cipher.lookup_hash("13800138000")
    assert (row.phone_masked, row.id_number_masked, row.id_kind) == ("138****8000", "1101**********002X", "id_card")

    # The same name and phone again: the one on file.
    again = RegisterResident(project_id=p1, name="王建国", phone="13800138000")
    e = await refused(service.register_resident(again, uow_of(platform, org), cipher=platform.cipher))
    assert (e.code, e.reason, e.field) == (ErrorCode.CONFLICT, ErrorReason.RESIDENT_EXISTS, "phone")
    e = await refused(service.register_resident(RegisterResident(p1, "王", phone="12345"), uow_of(platform, org),
                                                cipher=platform.cipher))
    assert (e.code, e.field) == (ErrorCode.VALIDATION, "phone")

    stay = await service.move_in(MoveIn(other_unit, resident, OccupantRole.TENANT), uow_of(platform, org))
    e = await refused(service.move_in(MoveIn(other_unit, resident, OccupantRole.TENANT), uow_of(platform, org)))
    assert (e.code, e.reason) == (ErrorCode.CONFLICT, ErrorReason.OCCUPANCY_EXISTS)
    await service.move_out(MoveOut(stay.id, date(2026, 1, 1)), uow_of(platform, org))
    e = await refused(service.move_out(MoveOut(stay.id, date(2026, 1, 2)), uow_of(platform, org)))
    assert (e.code, e.reason) == (ErrorCode.INVALID_STATE, ErrorReason.ALREADY_MOVED_OUT)

    await service.confirm_resident(ConfirmResident(resident), uow_of(platform, org))
    await service.update_resident(UpdateResident(resident, phone=""), uow_of(platform, org), cipher=platform.cipher)
    after = await written(owner_engine, org)
    assert after["residents"] == [("王建国", None, True)]
    assert [tuple(s) for s in after["stays"]] == [("owner", date(2021, 3, 1), None), ("tenant", None, date(2026, 1, 1))]
    assert [a for a, _ in after["audit"]][3:] == ["resident.registered", "occupancy.started", "occupancy.started",
                                                  "occupancy.ended", "resident.verified", "resident.updated"]
    assert after["audit"][-1][1] == {"fields": ["phone"]}
    assert "王建国" not in repr(after["audit"])  # field names, never a person's values

    # Erased (PIPL, slice 8 writes it): no longer edited, and intake refuses it as a reporter.
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE residents SET erased_at = now() WHERE id = :r"), {"r": resident})
    e = await refused(service.confirm_resident(ConfirmResident(resident), uow_of(platform, org)))
    assert (e.code, e.reason) == (ErrorCode.INVALID_STATE, ErrorReason.RESIDENT_ERASED)
    e = await refused(service.move_in(MoveIn(other_unit, resident, OccupantRole.OWNER), uow_of(platform, org)))
    assert e.reason is ErrorReason.RESIDENT_ERASED
