"""What belongs to a resident in the archive (docs/archive.md §2, §5.2): their further contacts
(联系方式), parking spaces (车位), vehicles (车辆) and pets (宠物). Each aggregate checks what is
typed and records one audit row and one event, with ids and field names only: a plate, a
contact's value or a pet's name is never copied into the audit log or the outbox, so erasing a
resident (PIPL) has nothing there to chase.

Pure, like model.py: a contact's value arrives sealed; whose records these are (the owner, the
flat, the space — same project, not erased) is checked by the service against the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from domain.archive.kinds import ContactKind, PetSpecies, SpaceTenure, VehicleKind
from domain.archive.model import Sealed, _Record, text_field
from domain.archive.values import BadValue, canonical_plate
from domain.errors import invalid

VACCINATION_VALID = timedelta(days=365)  # a rabies shot is yearly; older than this is due again
_BEIJING = timedelta(hours=8)


def beijing_today() -> date:
    """The day in Beijing: a shot given at 07:00 there is dated that day, not the day before (UTC)."""
    return (datetime.now(UTC) + _BEIJING).date()


def vaccination_cutoff(today: date) -> date:
    """A dog or cat vaccinated before this day is due (the reads filter by it too)."""
    return today - VACCINATION_VALID


def vaccination_due(species: PetSpecies, vaccinated_on: date | None, today: date) -> bool:
    """需打疫苗: a dog or cat never vaccinated on record, or last vaccinated more than a year ago."""
    if species not in (PetSpecies.DOG, PetSpecies.CAT):
        return False
    return vaccinated_on is None or vaccinated_on < vaccination_cutoff(today)


def plate_of(value: str) -> str:
    try:
        return canonical_plate(value)
    except BadValue as e:
        raise invalid(e.message, "plate") from e


def _id(value: UUID | None) -> str | None:
    return str(value) if value is not None else None


@dataclass(kw_only=True)
class Contact(_Record):
    """联系方式: a further way to reach a resident. Added or removed, never edited: a new number
    is a new contact, and the natural key (resident, kind, value) stays true."""

    resident_id: UUID
    kind: ContactKind
    label: str
    value: Sealed

    @classmethod
    def add(cls, *, org_id: UUID, project_id: UUID, resident_id: UUID, kind: ContactKind, label: str, value: Sealed,
            by: str) -> Contact:
        c = cls(id=uuid4(), org_id=org_id, project_id=project_id, resident_id=resident_id, kind=kind,
                label=text_field(label, "label", zh="备注名", max_len=100, required=False), value=value)
        c._record("resident_contact.added", "resident_contact", by, {"resident_id": str(resident_id), "kind": kind.value})
        return c

    def remove(self, *, by: str) -> None:
        self._record("resident_contact.removed", "resident_contact", by,
                     {"resident_id": str(self.resident_id), "kind": self.kind.value})


def _lease(tenure: SpaceTenure, holder_id: UUID | None, lease_until: date | None) -> None:
    if tenure is SpaceTenure.PUBLIC and holder_id is not None:
        raise invalid("公共车位没有持有人。A public space has no holder.", "holderId")
    if lease_until is not None and tenure is not SpaceTenure.LEASED:
        raise invalid("只有租赁车位有租期。Only a leased space has a lease end.", "leaseUntil")


@dataclass(kw_only=True)
class ParkingSpace(_Record):
    """车位: a space in a named area (停车区, e.g. 地下B1), unique by (area, number) in its project;
    held by a resident and tied to a flat when owned or leased."""

    area: str
    number: str
    tenure: SpaceTenure
    unit_id: UUID | None
    holder_id: UUID | None
    lease_until: date | None

    @classmethod
    def create(cls, *, org_id: UUID, project_id: UUID, area: str, number: str, tenure: SpaceTenure,
               unit_id: UUID | None, holder_id: UUID | None, lease_until: date | None, by: str) -> ParkingSpace:
        _lease(tenure, holder_id, lease_until)
        s = cls(id=uuid4(), org_id=org_id, project_id=project_id,
                area=text_field(area, "area", zh="停车区", max_len=50, required=False),
                number=text_field(number, "number", zh="车位号", max_len=50), tenure=tenure, unit_id=unit_id,
                holder_id=holder_id, lease_until=lease_until)
        s._record("parking_space.created", "parking_space", by, {"unit_id": _id(unit_id), "holder_id": _id(holder_id)})
        return s

    def update(self, *, area: str | None, number: str | None, tenure: SpaceTenure | None, unit_id: UUID | None,
               holder_id: UUID | None, lease_until: date | None, clear: frozenset[str], by: str) -> list[str]:
        """A value given None keeps the old one; a name in `clear` (unit_id, holder_id,
        lease_until) was given as null and is emptied."""
        new: dict[str, Any] = {
            "area": self.area if area is None else text_field(area, "area", zh="停车区", max_len=50, required=False),
            "number": self.number if number is None else text_field(number, "number", zh="车位号", max_len=50),
            "tenure": self.tenure if tenure is None else tenure,
            "unit_id": None if "unit_id" in clear else unit_id or self.unit_id,
            "holder_id": None if "holder_id" in clear else holder_id or self.holder_id,
            "lease_until": None if "lease_until" in clear else lease_until or self.lease_until}
        _lease(new["tenure"], new["holder_id"], new["lease_until"])
        return self._changed("parking_space", by, new)


@dataclass(kw_only=True)
class Vehicle(_Record):
    """车辆: a resident's vehicle by its plate (unique in the project), parked on a space or not."""

    resident_id: UUID
    plate: str
    kind: VehicleKind
    brand: str
    colour: str
    space_id: UUID | None
    valid_until: date | None  # 有效期: the pass or the lease the vehicle is let in under

    @classmethod
    def register(cls, *, org_id: UUID, project_id: UUID, resident_id: UUID, plate: str, kind: VehicleKind, brand: str,
                 colour: str, space_id: UUID | None, valid_until: date | None, by: str) -> Vehicle:
        v = cls(id=uuid4(), org_id=org_id, project_id=project_id, resident_id=resident_id, plate=plate_of(plate),
                kind=kind, brand=text_field(brand, "brand", zh="品牌", max_len=50, required=False),
                colour=text_field(colour, "colour", zh="颜色", max_len=20, required=False), space_id=space_id,
                valid_until=valid_until)
        v._record("vehicle.registered", "vehicle", by, {"resident_id": str(resident_id), "space_id": _id(space_id)})
        return v

    def update(self, *, resident_id: UUID | None, plate: str | None, kind: VehicleKind | None, brand: str | None,
               colour: str | None, space_id: UUID | None, valid_until: date | None, clear: frozenset[str],
               by: str) -> list[str]:
        """As ParkingSpace.update; `clear` may name space_id and valid_until."""
        return self._changed("vehicle", by, {
            "resident_id": resident_id or self.resident_id,
            "plate": self.plate if plate is None else plate_of(plate),
            "kind": self.kind if kind is None else kind,
            "brand": self.brand if brand is None else text_field(brand, "brand", zh="品牌", max_len=50, required=False),
            "colour": self.colour if colour is None else text_field(colour, "colour", zh="颜色", max_len=20,
                                                                    required=False),
            "space_id": None if "space_id" in clear else space_id or self.space_id,
            "valid_until": None if "valid_until" in clear else valid_until or self.valid_until})

    def remove(self, *, by: str) -> None:
        self._record("vehicle.removed", "vehicle", by, {"resident_id": str(self.resident_id)})


def _vaccinated(value: date | None, today: date) -> date | None:
    if value is not None and value > today:
        raise invalid("疫苗日期不能晚于今天。vaccinatedOn cannot be in the future.", "vaccinatedOn")
    return value


@dataclass(kw_only=True)
class Pet(_Record):
    """宠物: a resident's pet, by name among theirs; a dog's licence (犬证号) and last shot."""

    resident_id: UUID
    unit_id: UUID | None
    name: str
    species: PetSpecies
    breed: str
    licence_no: str
    vaccinated_on: date | None

    @classmethod
    def register(cls, *, org_id: UUID, project_id: UUID, resident_id: UUID, unit_id: UUID | None, name: str,
                 species: PetSpecies, breed: str, licence_no: str, vaccinated_on: date | None, today: date,
                 by: str) -> Pet:
        p = cls(id=uuid4(), org_id=org_id, project_id=project_id, resident_id=resident_id, unit_id=unit_id,
                name=text_field(name, "name", zh="宠物名", max_len=50), species=species,
                breed=text_field(breed, "breed", zh="品种", max_len=50, required=False),
                licence_no=text_field(licence_no, "licenceNo", zh="犬证号", max_len=50, required=False),
                vaccinated_on=_vaccinated(vaccinated_on, today))
        p._record("pet.registered", "pet", by, {"resident_id": str(resident_id), "unit_id": _id(unit_id)})
        return p

    def update(self, *, resident_id: UUID | None, unit_id: UUID | None, name: str | None, species: PetSpecies | None,
               breed: str | None, licence_no: str | None, vaccinated_on: date | None, clear: frozenset[str],
               today: date, by: str) -> list[str]:
        """As ParkingSpace.update; `clear` may name unit_id and vaccinated_on."""
        return self._changed("pet", by, {
            "resident_id": resident_id or self.resident_id,
            "unit_id": None if "unit_id" in clear else unit_id or self.unit_id,
            "name": self.name if name is None else text_field(name, "name", zh="宠物名", max_len=50),
            "species": self.species if species is None else species,
            "breed": self.breed if breed is None else text_field(breed, "breed", zh="品种", max_len=50, required=False),
            "licence_no": self.licence_no if licence_no is None else text_field(licence_no, "licenceNo", zh="犬证号",
                                                                                max_len=50, required=False),
            "vaccinated_on": None if "vaccinated_on" in clear else _vaccinated(vaccinated_on, today) or self.vaccinated_on})

    def vaccination_due(self, today: date) -> bool:
        return vaccination_due(self.species, self.vaccinated_on, today)

    def remove(self, *, by: str) -> None:
        self._record("pet.removed", "pet", by, {"resident_id": str(self.resident_id)})
