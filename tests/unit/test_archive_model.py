"""The archive's editing rules (domain/archive/model.py), without a database: what is typed is
checked, an edit records the names of the fields it changed (never their values), a number typed
again keeps its stored ciphertext, an erased resident is no longer edited, a stay ends once."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from domain.archive.kinds import IdKind, OccupantRole, ResidentKind, UnitUse
from domain.archive.model import Building, Occupancy, Resident, Sealed, Unit
from domain.errors import DomainError, ErrorCode, ErrorReason

ORG, PROJECT = uuid.uuid4(), uuid.uuid4()
NOW = datetime(2026, 5, 1, 8, tzinfo=UTC)
PHONE = Sealed(enc=b"a", hash=b"h1", masked="138****8000")


def refusal(fn, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        fn(*args, **kwargs)
    return caught.value


def test_a_building_is_named_and_has_floors_and_an_edit_records_field_names():
    b = Building.create(org_id=ORG, project_id=PROJECT, name=" 3号楼 ", floors=18, by="user:a")
    assert (b.name, b.floors) == ("3号楼", 18)
    assert [(a.action, a.data) for a in b.audit] == [("building.created", {"name": "3号楼"})]
    assert [e.topic for e in b.events] == ["building.created"]
    assert refusal(Building.create, org_id=ORG, project_id=PROJECT, name=" ", floors=3, by="a").field == "name"
    assert refusal(Building.create, org_id=ORG, project_id=PROJECT, name="A", floors=0, by="a").field == "floors"
    b.audit.clear()
    assert b.update(name=None, floors=18, by="a") == []  # nothing changed: nothing recorded
    assert b.audit == []
    assert b.update(name="3栋", floors=None, by="a") == ["name"]
    assert b.audit[0].action == "building.updated" and b.audit[0].data == {"fields": ["name"]}


BUILDING = Building.create(org_id=ORG, project_id=PROJECT, name="3号楼", floors=18, by="a")


def test_a_flat_checks_its_number_floor_and_area():
    u = Unit.create(org_id=ORG, project_id=PROJECT, building=BUILDING, entrance="2", number="1502", floor=15,
                    area_m2=96.456, use=UnitUse.RESIDENTIAL, vacant=False, by="a")
    assert u.area_m2 == 96.46 and u.audit[0].action == "unit.created"
    e = refusal(Unit.create, org_id=ORG, project_id=PROJECT, building=BUILDING, entrance="", number="1", floor=1,
                area_m2=-3, use=UnitUse.SHOP, vacant=False, by="a")
    assert (e.code, e.field) == (ErrorCode.VALIDATION, "areaM2") and e.message.startswith("建筑面积")
    assert refusal(Unit.create, org_id=ORG, project_id=PROJECT, building=BUILDING, entrance="", number="", floor=1,
                   area_m2=None, use=UnitUse.SHOP, vacant=False, by="a").field == "number"
    assert u.update(entrance=None, number=None, floor=None, building=None, area_m2=None, clear_area=True,
                    use=UnitUse.OFFICE, vacant=True, by="a") == ["area_m2", "use", "vacant"]
    assert u.area_m2 is None


def test_a_flats_floor_is_one_of_its_buildings_floors_or_a_basement():
    def create(floor: int) -> Unit:
        return Unit.create(org_id=ORG, project_id=PROJECT, building=BUILDING, entrance="", number=f"n{floor}", floor=floor,
                           area_m2=None, use=UnitUse.SHOP, vacant=False, by="a")

    assert [create(f).floor for f in (1, 18, -1, -10)] == [1, 18, -1, -10]
    for floor in (19, 0, -11):  # above the 18 floors; no floor 0 in China; below the deepest basement
        e = refusal(create, floor)
        assert (e.code, e.field) == (ErrorCode.VALIDATION, "floor"), floor
        assert e.message.startswith("「楼层」应在 1 到 18"), e.message
    u = create(3)
    assert refusal(u.update, entrance=None, number=None, floor=19, building=BUILDING, area_m2=None, clear_area=False,
                   use=None, vacant=None, by="a").field == "floor"
    assert u.update(entrance=None, number=None, floor=18, building=BUILDING, area_m2=None, clear_area=False, use=None,
                    vacant=None, by="a") == ["floor"]
    other = Building.create(org_id=ORG, project_id=PROJECT, name="4号楼", floors=30, by="a")
    with pytest.raises(ValueError):  # a floor is only ever checked against the flat's own building
        u.update(entrance=None, number=None, floor=20, building=other, area_m2=None, clear_area=False, use=None,
                 vacant=None, by="a")


def _resident(**kw) -> Resident:
    return Resident.register(org_id=ORG, project_id=PROJECT, name=kw.get("name", "王建国"), kind=ResidentKind.PERSON,
                             phone=kw.get("phone", PHONE), id_kind=None, id_number=kw.get("id_number"), note="", by="a")


def test_a_residents_audit_holds_no_personal_values():
    r = _resident(id_number=Sealed(enc=b"i", hash=b"ih", masked="1101**********002X"))
    assert r.id_kind is IdKind.ID_CARD  # a number without its kind is an ID card
    assert [(a.action, a.data) for a in r.audit] == [("resident.registered", {})]
    assert "王建国" not in repr([e.payload for e in r.events])
    r.audit.clear()
    changed = r.update(name="王建华", kind=None, phone=Sealed(enc=b"new", hash=b"h1", masked="x"), clear_phone=False,
                       id_kind=None, id_number=None, clear_id_number=True, note=None, now=NOW, by="a")
    assert changed == ["name", "id_number", "id_kind"]
    assert r.phone is PHONE  # the same number (by hash) keeps its stored ciphertext
    assert (r.id_number, r.id_kind, r.verified_at) == (None, None, NOW)
    assert r.audit[0].data == {"fields": ["name", "id_number", "id_kind"]}
    assert "王建华" not in repr(r.audit)


def test_an_erased_resident_is_not_edited_or_confirmed():
    r = _resident()
    r.erased_at = NOW
    e = refusal(r.confirm, now=NOW, by="a")
    assert (e.code, e.reason) == (ErrorCode.INVALID_STATE, ErrorReason.RESIDENT_ERASED)
    assert refusal(r.update, name="x", kind=None, phone=None, clear_phone=False, id_kind=None, id_number=None,
                   clear_id_number=False, note=None, now=NOW, by="a").reason is ErrorReason.RESIDENT_ERASED
    fresh = _resident()
    fresh.confirm(now=NOW, by="a")
    assert fresh.verified_at == NOW and fresh.audit[-1].action == "resident.verified"


def test_a_stay_ends_once_not_before_it_began_nor_far_ahead():
    today = date(2026, 5, 1)
    o = Occupancy.start(org_id=ORG, project_id=PROJECT, unit_id=uuid.uuid4(), resident_id=uuid.uuid4(),
                        role=OccupantRole.TENANT, primary_contact=False, moved_in_on=date(2025, 3, 1), today=today, by="a")
    assert o.audit[0].action == "occupancy.started" and o.audit[0].data["role"] == "tenant"
    assert refusal(o.end, moved_out_on=date(2025, 2, 1), today=today, by="a").field == "movedOutOn"
    assert refusal(o.end, moved_out_on=date(2026, 7, 1), today=today, by="a").field == "movedOutOn"
    o.end(moved_out_on=date(2026, 5, 31), today=today, by="a")  # a month ahead is allowed
    assert o.moved_out_on == date(2026, 5, 31) and o.audit[-1].action == "occupancy.ended"
    e = refusal(o.end, moved_out_on=date(2026, 5, 31), today=today, by="a")
    assert (e.code, e.reason) == (ErrorCode.INVALID_STATE, ErrorReason.ALREADY_MOVED_OUT)
    assert refusal(Occupancy.start, org_id=ORG, project_id=PROJECT, unit_id=uuid.uuid4(), resident_id=uuid.uuid4(),
                   role=OccupantRole.OWNER, primary_contact=True, moved_in_on=date(2027, 1, 1), today=today,
                   by="a").field == "movedInOn"
