"""Residents' contacts, parking spaces, vehicles and pets without GraphQL
(domain/archive/belongings_service.py): a command and a unit of work against the real database.
A change commits with its audit row and event; the same key again answers the first result and
writes nothing; a refusal — no archive:manage, another company's or project's record, an owner,
flat or space of another project, an erased owner, a natural key already on file — writes
nothing, not even the key. A contact's value is stored sealed; no value reaches the audit log."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from domain.archive import belongings_service as belongings, service
from domain.archive.belongings_commands import (
    AddContact, CreateParkingSpace, RegisterPet, RegisterVehicle, RemoveContact, RemovePet, RemoveVehicle,
    UpdateParkingSpace, UpdatePet, UpdateVehicle,
)
from domain.archive.commands import CreateBuilding, CreateUnit, RegisterResident
from domain.archive.kinds import ContactKind, PetSpecies, SpaceTenure
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
            "contacts": (await rows("SELECT kind, label, value_masked FROM resident_contacts WHERE org_id = :o "
                                    "ORDER BY created_at")).all(),
            "spaces": (await rows("SELECT area, number, tenure, holder_id IS NOT NULL, lease_until FROM parking_spaces "
                                  "WHERE org_id = :o ORDER BY number")).all(),
            "vehicles": (await rows("SELECT plate, colour, space_id IS NOT NULL FROM vehicles WHERE org_id = :o "
                                    "ORDER BY plate")).all(),
            "pets": (await rows("SELECT name, species, vaccinated_on FROM pets WHERE org_id = :o ORDER BY name")).all(),
            "audit": (await rows("SELECT action, data FROM audit_log WHERE org_id = :o AND entity IN "
                                 "('resident_contact', 'parking_space', 'vehicle', 'pet') ORDER BY id")).all(),
            "events": (await rows("SELECT topic, payload FROM outbox WHERE org_id = :o "
                                  "AND topic ~ '^(resident_contact|parking_space|vehicle|pet)\\.' ORDER BY created_at")).all(),
            "keys": (await rows("SELECT key FROM idempotency_keys WHERE org_id = :o ORDER BY key")).scalars().all(),
        }


async def refused(use_case) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await use_case
    return caught.value


@pytest.fixture
async def archive(platform, org):
    """A flat and two residents in P1, a resident and flat in P2."""
    admin = uow_of(platform, org)
    p1, p2 = org.projects["P1"], org.projects["P2"]
    building = await service.create_building(CreateBuilding(p1, "1号楼", 6), admin)
    unit = await service.create_unit(CreateUnit(building, "301", 3), uow_of(platform, org))
    owner = await service.register_resident(RegisterResident(p1, "王建国", phone="13800138000", unit_id=unit),
                                            uow_of(platform, org), cipher=platform.cipher)
    other = await service.register_resident(RegisterResident(p1, "李秀英"), uow_of(platform, org), cipher=platform.cipher)
    far_building = await service.create_building(CreateBuilding(p2, "9号楼", 12), uow_of(platform, org))
    far_unit = await service.create_unit(CreateUnit(far_building, "901", 9), uow_of(platform, org))
    far = await service.register_resident(RegisterResident(p2, "赵六"), uow_of(platform, org), cipher=platform.cipher)
    return {"p1": p1, "unit": unit, "owner": owner, "other": other, "far_unit": far_unit, "far": far}


async def test_a_contact_is_sealed_added_once_and_removed(platform, owner_engine, org, other_org, archive):
    cmd = AddContact(archive["owner"], ContactKind.EMERGENCY, "+86 139 0013 9000", "紧急联系人·女儿", idempotency_key="c-1")
    # Without archive:manage, or in a project out of reach, or from another company: nothing written.
    e = await refused(belongings.add_contact(cmd, uow_of(platform, org, Role.DISPATCHER, "P1"), cipher=platform.cipher))
    assert e.code is ErrorCode.FORBIDDEN
    for uow in (uow_of(platform, org, Role.PROJECT_MANAGER, "P2"), uow_of(platform, other_org)):
        assert (await refused(belongings.add_contact(cmd, uow, cipher=platform.cipher))).code is ErrorCode.NOT_FOUND
    assert (await written(owner_engine, org))["keys"] == []

    done = await belongings.add_contact(cmd, uow_of(platform, org), cipher=platform.cipher)
    once = await written(owner_engine, org)
    assert await belongings.add_contact(cmd, uow_of(platform, org), cipher=platform.cipher) == done  # replayed
    assert await written(owner_engine, org) == once
    assert once["contacts"] == [("emergency", "紧急联系人·女儿", "139****9000")]
    async with owner_engine.connect() as conn:
        row = (await conn.execute(text("SELECT value_enc, value_hash FROM resident_contacts WHERE id = :c"), {"c": done.id})).one()
    assert platform.cipher.decrypt(row.value_enc) == "13900139000"  # canonical before it is sealed
    assert row.value_hash == platform.cipher.lookup_hash("13900139000")

    same = AddContact(archive["owner"], ContactKind.EMERGENCY, "139-0013-9000")
    e = await refused(belongings.add_contact(same, uow_of(platform, org), cipher=platform.cipher))
    assert (e.code, e.reason, e.existing) == (ErrorCode.CONFLICT, ErrorReason.CONTACT_EXISTS, ("ResidentContact", done.id))
    e = await refused(belongings.add_contact(AddContact(archive["owner"], ContactKind.EMAIL, "not-mail"), uow_of(platform, org),
                                             cipher=platform.cipher))
    assert (e.code, e.field) == (ErrorCode.VALIDATION, "value")

    e = await refused(belongings.remove_contact(RemoveContact(done.id), uow_of(platform, other_org)))
    assert e.code is ErrorCode.NOT_FOUND
    assert await belongings.remove_contact(RemoveContact(done.id), uow_of(platform, org)) == done
    after = await written(owner_engine, org)
    assert after["contacts"] == []
    assert [a for a, _ in after["audit"]] == ["resident_contact.added", "resident_contact.removed"]
    assert "13900139000" not in repr(after) and "139****" not in repr(after["audit"] + after["events"])
    assert "女儿" not in repr(after["audit"] + after["events"])


async def test_spaces_and_vehicles_name_records_of_their_own_project(platform, owner_engine, org, other_org, archive):
    admin = lambda: uow_of(platform, org)  # noqa: E731 — a unit of work runs once
    cmd = CreateParkingSpace(archive["p1"], "A-018", area="地下B1", unit_id=archive["unit"], holder_id=archive["owner"],
                             idempotency_key="s-1")
    for bad, field in ((CreateParkingSpace(archive["p1"], "A-019", unit_id=archive["far_unit"]), "unitId"),
                       (CreateParkingSpace(archive["p1"], "A-019", holder_id=archive["far"]), "holderId")):
        e = await refused(belongings.create_parking_space(bad, admin()))
        assert (e.code, e.field) == (ErrorCode.NOT_FOUND, field)
    e = await refused(belongings.create_parking_space(cmd, uow_of(platform, org, Role.PROJECT_MANAGER, "P2")))
    assert e.code is ErrorCode.NOT_FOUND
    assert (await written(owner_engine, org))["keys"] == []

    space = await belongings.create_parking_space(cmd, admin())
    assert await belongings.create_parking_space(cmd, admin()) == space
    e = await refused(belongings.create_parking_space(CreateParkingSpace(archive["p1"], "A-018", area="地下B1"), admin()))
    assert (e.code, e.reason, e.existing) == (ErrorCode.CONFLICT, ErrorReason.SPACE_EXISTS, ("ParkingSpace", space.id))
    await belongings.update_parking_space(UpdateParkingSpace(space.id, tenure=SpaceTenure.LEASED, lease_until=date(2027, 6, 30)),
                                          admin())

    car = RegisterVehicle(archive["owner"], "京a·12345", colour="白", space_id=space.id, idempotency_key="v-1")
    e = await refused(belongings.register_vehicle(RegisterVehicle(archive["far"], "京B11111", space_id=space.id), admin()))
    assert (e.code, e.field) == (ErrorCode.NOT_FOUND, "spaceId")  # P2's owner cannot park on P1's space
    vehicle = await belongings.register_vehicle(car, admin())
    once = await written(owner_engine, org)
    assert await belongings.register_vehicle(car, admin()) == vehicle
    assert await written(owner_engine, org) == once
    e = await refused(belongings.register_vehicle(RegisterVehicle(archive["other"], "京A 12345"), admin()))
    assert (e.code, e.reason, e.field, e.existing) == (ErrorCode.CONFLICT, ErrorReason.PLATE_EXISTS, "plate",
                                                       ("Vehicle", vehicle.id))
    e = await refused(belongings.update_vehicle(UpdateVehicle(vehicle.id, resident_id=archive["far"]), admin()))
    assert (e.code, e.field) == (ErrorCode.NOT_FOUND, "residentId")
    e = await refused(belongings.update_vehicle(UpdateVehicle(vehicle.id, colour="黑"), uow_of(platform, other_org)))
    assert e.code is ErrorCode.NOT_FOUND
    moved = await belongings.update_vehicle(UpdateVehicle(vehicle.id, resident_id=archive["other"], clear=frozenset({"space_id"})),
                                            admin())
    assert moved.resident_id == archive["other"]

    # An erased owner (PIPL, slice 8 writes it) gets no new vehicle.
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE residents SET erased_at = now() WHERE id = :r"), {"r": archive["owner"]})
    e = await refused(belongings.register_vehicle(RegisterVehicle(archive["owner"], "京C22222"), admin()))
    assert (e.code, e.reason) == (ErrorCode.INVALID_STATE, ErrorReason.RESIDENT_ERASED)

    await belongings.remove_vehicle(RemoveVehicle(vehicle.id), admin())
    after = await written(owner_engine, org)
    assert after["vehicles"] == [] and [tuple(s) for s in after["spaces"]] == [("地下B1", "A-018", "leased", True,
                                                                                 date(2027, 6, 30))]
    assert [a for a, _ in after["audit"]] == ["parking_space.created", "parking_space.updated", "vehicle.registered",
                                              "vehicle.updated", "vehicle.removed"]
    assert after["audit"][1][1] == {"fields": ["tenure", "lease_until"]}
    assert after["audit"][3][1] == {"fields": ["resident_id", "space_id"]}
    assert "12345" not in repr(after["audit"] + after["events"])
    assert (await written(owner_engine, other_org))["spaces"] == []


async def test_a_pet_is_registered_once_per_name_and_its_shot_recorded(platform, owner_engine, org, other_org, archive):
    admin = lambda: uow_of(platform, org)  # noqa: E731
    cmd = RegisterPet(archive["owner"], "旺财", PetSpecies.DOG, unit_id=archive["unit"], idempotency_key="p-1")
    e = await refused(belongings.register_pet(RegisterPet(archive["owner"], "旺财", PetSpecies.DOG, unit_id=archive["far_unit"]),
                                              admin()))
    assert (e.code, e.field) == (ErrorCode.NOT_FOUND, "unitId")
    e = await refused(belongings.register_pet(cmd, uow_of(platform, other_org)))
    assert e.code is ErrorCode.NOT_FOUND
    assert (await written(owner_engine, org))["keys"] == []

    pet = await belongings.register_pet(cmd, admin())
    assert await belongings.register_pet(cmd, admin()) == pet
    e = await refused(belongings.register_pet(RegisterPet(archive["owner"], " 旺财 ", PetSpecies.CAT), admin()))
    assert (e.code, e.reason, e.existing) == (ErrorCode.CONFLICT, ErrorReason.PET_EXISTS, ("Pet", pet.id))
    await belongings.register_pet(RegisterPet(archive["other"], "旺财", PetSpecies.DOG), admin())  # another owner's dog
    e = await refused(belongings.update_pet(UpdatePet(pet.id, vaccinated_on=date(2026, 1, 1)),
                                            uow_of(platform, org, Role.PROJECT_MANAGER, "P2")))
    assert e.code is ErrorCode.NOT_FOUND
    await belongings.update_pet(UpdatePet(pet.id, vaccinated_on=date(2026, 1, 1), clear=frozenset({"unit_id"})), admin())
    await belongings.remove_pet(RemovePet(pet.id), admin())
    e = await refused(belongings.remove_pet(RemovePet(pet.id), admin()))
    assert e.code is ErrorCode.NOT_FOUND
    after = await written(owner_engine, org)
    assert [tuple(p) for p in after["pets"]] == [("旺财", "dog", None)]
    assert [a for a, _ in after["audit"]] == ["pet.registered", "pet.registered", "pet.updated", "pet.removed"]
    assert after["audit"][2][1] == {"fields": ["unit_id", "vaccinated_on"]}
    assert [t for t, _ in after["events"]] == ["pet.registered", "pet.registered", "pet.updated", "pet.removed"]
    assert "旺财" not in repr(after["audit"] + after["events"])
