"""The rules of what belongs to residents (domain/archive/belongings.py), without a database: a
contact's value in one canonical spelling with its mask, plates in one spelling, a public space
without a holder and a lease only on a leased space, a pet's shot not in the future and due after
a year — and audit rows and events holding ids and field names, never a plate, a number or a name."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from domain.archive.belongings import Contact, ParkingSpace, Pet, Vehicle, vaccination_due
from domain.archive.kinds import ContactKind, PetSpecies, SpaceTenure, VehicleKind
from domain.archive.model import Sealed
from domain.archive.values import BadValue, canonical_contact, plate_fragment
from domain.errors import DomainError, ErrorCode

ORG, PROJECT, OWNER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
TODAY = date(2026, 5, 1)


def refusal(fn, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        fn(*args, **kwargs)
    return caught.value


@pytest.mark.parametrize(("kind", "typed", "canonical", "masked"), [
    ("mobile", "+86 139-0013-9000", "13900139000", "139****9000"),
    ("landline", "010-12345678 转 8", "01012345678", "010****5678"),
    ("emergency", "13900139000", "13900139000", "139****9000"),
    ("email", " Wang.Li@Example.COM ", "wang.li@example.com", "w***@example.com"),
    ("wechat", "wxid_wangli88", "wxid_wangli88", "wx***88"),
    ("wechat", "139 0013 9000", "13900139000", "139****9000"),  # the phone the account was opened with
])
def test_a_contact_value_has_one_spelling_and_a_mask(kind, typed, canonical, masked):
    assert canonical_contact(kind, typed) == (canonical, masked)


@pytest.mark.parametrize(("kind", "typed", "code"), [
    ("mobile", "010-12345678", "BAD_PHONE"),  # a landline is not a mobile
    ("landline", "13900139000", "BAD_PHONE"),
    ("email", "wang@", "BAD_EMAIL"),
    ("wechat", "王丽", "BAD_WECHAT"),
    ("wechat", "12ab", "BAD_WECHAT"),
])
def test_a_bad_contact_value_is_refused_in_chinese_first(kind, typed, code):
    with pytest.raises(BadValue) as caught:
        canonical_contact(kind, typed)
    assert caught.value.code == code and "\u4e00" <= caught.value.message[0] <= "\u9fff"


def test_a_plate_fragment_is_spelled_as_plates_are_stored():
    assert plate_fragment("京a·123 ") == "京A123"


def test_a_contact_records_its_kind_not_its_value():
    value = Sealed(enc=b"e", hash=b"h", masked="139****9000")
    c = Contact.add(org_id=ORG, project_id=PROJECT, resident_id=OWNER, kind=ContactKind.EMERGENCY, label=" 女儿 ",
                    value=value, by="user:a")
    assert c.label == "女儿"
    assert [(a.action, a.data) for a in c.audit] == [("resident_contact.added",
                                                      {"resident_id": str(OWNER), "kind": "emergency"})]
    c.remove(by="user:a")
    assert [e.topic for e in c.events] == ["resident_contact.added", "resident_contact.removed"]
    assert "139" not in repr([e.payload for e in c.events]) and "女儿" not in repr(c.audit)
    assert refusal(Contact.add, org_id=ORG, project_id=PROJECT, resident_id=OWNER, kind=ContactKind.MOBILE, label="x" * 101,
                   value=value, by="a").field == "label"


def _space(**kw) -> ParkingSpace:
    args = {"area": "地下B1", "number": "A-018", "tenure": SpaceTenure.OWNED, "unit_id": None, "holder_id": OWNER,
            "lease_until": None} | kw
    return ParkingSpace.create(org_id=ORG, project_id=PROJECT, by="a", **args)


def test_a_space_has_a_number_a_public_one_no_holder_and_only_a_leased_one_a_lease():
    s = _space()
    assert s.audit[0].action == "parking_space.created" and s.audit[0].data == {"unit_id": None, "holder_id": str(OWNER)}
    assert refusal(_space, number=" ").field == "number"
    e = refusal(_space, tenure=SpaceTenure.PUBLIC)
    assert (e.code, e.field) == (ErrorCode.VALIDATION, "holderId") and e.message.startswith("公共车位")
    assert refusal(_space, lease_until=date(2027, 1, 1)).field == "leaseUntil"
    s.audit.clear()
    # Leased until next year; clearing the holder of a space then made public.
    assert s.update(area=None, number=None, tenure=SpaceTenure.LEASED, unit_id=None, holder_id=None,
                    lease_until=date(2027, 1, 1), clear=frozenset(), by="a") == ["tenure", "lease_until"]
    assert refusal(s.update, area=None, number=None, tenure=SpaceTenure.PUBLIC, unit_id=None, holder_id=None,
                   lease_until=None, clear=frozenset({"lease_until"}), by="a").field == "holderId"
    assert s.update(area=None, number=None, tenure=SpaceTenure.PUBLIC, unit_id=None, holder_id=None, lease_until=None,
                    clear=frozenset({"holder_id", "lease_until"}), by="a") == ["tenure", "holder_id", "lease_until"]
    assert (s.holder_id, s.lease_until) == (None, None)
    assert s.update(area="地下B1", number="A-018", tenure=None, unit_id=None, holder_id=None, lease_until=None,
                    clear=frozenset(), by="a") == []  # nothing changed: nothing recorded
    assert [a.data for a in s.audit] == [{"fields": ["tenure", "lease_until"]},
                                         {"fields": ["tenure", "holder_id", "lease_until"]}]


def test_a_vehicle_plate_is_stored_in_one_spelling_and_never_recorded():
    v = Vehicle.register(org_id=ORG, project_id=PROJECT, resident_id=OWNER, plate="京a·12345", kind=VehicleKind.CAR,
                         brand=" 大众 ", colour="白", space_id=None, valid_until=None, by="a")
    assert (v.plate, v.brand) == ("京A12345", "大众")
    new_energy = Vehicle.register(org_id=ORG, project_id=PROJECT, resident_id=OWNER, plate="粤B D12345",
                                  kind=VehicleKind.NEW_ENERGY, brand="", colour="", space_id=None, valid_until=None, by="a")
    assert new_energy.plate == "粤BD12345"  # eight characters
    e = refusal(Vehicle.register, org_id=ORG, project_id=PROJECT, resident_id=OWNER, plate="ABC123", kind=VehicleKind.CAR,
                brand="", colour="", space_id=None, valid_until=None, by="a")
    assert (e.code, e.field) == (ErrorCode.VALIDATION, "plate") and e.message.startswith("车牌号")
    other, space = uuid.uuid4(), uuid.uuid4()
    assert v.update(resident_id=other, plate="京A 12345", kind=None, brand=None, colour="黑", space_id=space,
                    valid_until=None, clear=frozenset(), by="a") == ["resident_id", "colour", "space_id"]
    assert v.update(resident_id=None, plate=None, kind=None, brand=None, colour=None, space_id=None, valid_until=None,
                    clear=frozenset({"space_id"}), by="a") == ["space_id"]
    v.remove(by="a")
    assert [a.action for a in v.audit] == ["vehicle.registered", "vehicle.updated", "vehicle.updated", "vehicle.removed"]
    assert "12345" not in repr([a.data for a in v.audit]) + repr([e.payload for e in v.events])


def _pet(**kw) -> Pet:
    args = {"unit_id": None, "name": "旺财", "species": PetSpecies.DOG, "breed": "柴犬", "licence_no": "",
            "vaccinated_on": date(2026, 3, 1)} | kw
    return Pet.register(org_id=ORG, project_id=PROJECT, resident_id=OWNER, today=TODAY, by="a", **args)


def test_a_pets_shot_is_not_in_the_future_and_is_due_after_a_year():
    p = _pet()
    assert p.audit[0].action == "pet.registered" and "旺财" not in repr(p.audit) + repr([e.payload for e in p.events])
    assert refusal(_pet, vaccinated_on=date(2026, 5, 2)).field == "vaccinatedOn"
    assert refusal(_pet, name="").field == "name"
    assert not p.vaccination_due(TODAY)
    assert vaccination_due(PetSpecies.DOG, date(2025, 5, 1), TODAY) is False  # exactly 365 days: still covered
    assert vaccination_due(PetSpecies.DOG, date(2025, 4, 30), TODAY) is True
    assert vaccination_due(PetSpecies.CAT, None, TODAY) is True  # never on record
    assert vaccination_due(PetSpecies.OTHER, None, TODAY) is False  # a rabbit needs no rabies shot
    assert p.update(resident_id=None, unit_id=None, name=None, species=None, breed=None, licence_no="京犬字001",
                    vaccinated_on=None, clear=frozenset({"vaccinated_on"}), today=TODAY, by="a") == ["licence_no",
                                                                                                   "vaccinated_on"]
    assert p.vaccination_due(TODAY)
    p.remove(by="a")
    assert [e.topic for e in p.events] == ["pet.registered", "pet.updated", "pet.removed"]
    assert p.audit[1].data == {"fields": ["licence_no", "vaccinated_on"]}
