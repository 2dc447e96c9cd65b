"""The archive's aggregates as a person edits them (docs/archive.md §5.2): a building, a flat, a
resident, a stay (入住). Each checks what is typed, then records one audit row and one event for
the unit of work to write at commit. Audit rows and events name fields, never a person's values:
erasing a resident (PIPL) must not have to chase copies of their name or phone.

Pure: phones and ID numbers arrive sealed (`Sealed`, ciphertext + keyed hash + mask, made by the
service with the platform cipher), so a rule compares them by hash and never sees the cipher."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from domain.archive.kinds import IdKind, OccupantRole, ResidentKind, UnitUse
from domain.errors import DomainError, ErrorCode, ErrorReason, invalid
from domain.events import Event
from domain.unit_of_work import Aggregate, AuditEntry

MOVE_OUT_AHEAD = timedelta(days=31)  # a move-out may be booked a month ahead, not a year
DEEPEST_BASEMENT = -10  # a building's `floors` count those above ground; shops and stores sit below, to -10
ERASED_NAME = "已删除住户"


@dataclass(frozen=True, slots=True)
class Sealed:
    """A phone or ID number as stored: AES-GCM ciphertext, keyed lookup hash, masked form."""

    enc: bytes
    hash: bytes
    masked: str


def text_field(value: str | None, field: str, *, zh: str, max_len: int, required: bool = True) -> str:
    # Without its invisible format characters (a zero-width space, a bidi override): 旺\u200b财 is
    # 旺财 to the eye, and must be to the natural keys too; a name of nothing but them is no name.
    value = "".join(c for c in (value or "") if unicodedata.category(c) != "Cf").strip()
    if required and not value:
        raise invalid(f"请填写{zh}。{field} is required.", field)
    if len(value) > max_len:
        raise invalid(f"「{zh}」最多 {max_len} 字。{field} is at most {max_len} characters.", field)
    return value


def _number(value: int, field: str, *, zh: str, low: int, high: int) -> int:
    if not low <= value <= high:
        raise invalid(f"「{zh}」应在 {low} 到 {high} 之间。{field} must be between {low} and {high}.", field)
    return value


def _floor(value: int, floors: int) -> int:
    """A flat is on one of its building's floors, 1 to `floors`, or below ground, -1 to -10: a
    Chinese building has no floor 0 (its ground floor is 1层, the one beneath -1层)."""
    if value == 0 or not DEEPEST_BASEMENT <= value <= floors:
        raise invalid(f"「楼层」应在 1 到 {floors}（该楼栋总层数）之间，地下层为 -1 到 {DEEPEST_BASEMENT}。"
                      f"floor must be from 1 to the building's {floors} floors, or -1 to {DEEPEST_BASEMENT} below ground.",
                      "floor")
    return value


def _area(value: float | None) -> float | None:
    if value is not None and not 0 < value < 1_000_000:
        raise invalid("建筑面积应大于 0 且小于 1000000 ㎡。areaM2 must be above 0 and below 1,000,000.", "areaM2")
    return round(value, 2) if value is not None else None


@dataclass(kw_only=True)
class _Record(Aggregate):
    id: UUID
    org_id: UUID
    project_id: UUID

    def _record(self, action: str, entity: str, by: str, data: dict[str, Any]) -> None:
        self.audit.append(AuditEntry(action=action, entity=entity, entity_id=self.id, project_id=self.project_id,
                                     data=data, actor=by))
        self.events.append(Event(topic=action, org_id=self.org_id, project_id=self.project_id,
                                 payload={f"{entity}_id": str(self.id), "actor": by, **data}))

    def _changed(self, entity: str, by: str, new: dict[str, Any]) -> list[str]:
        """Applies the values that differ and records `<entity>.updated` with their names; none
        differing records nothing."""
        fields = [name for name, value in new.items() if getattr(self, name) != value]
        for name in fields:
            setattr(self, name, new[name])
        if fields:
            self._record(f"{entity}.updated", entity, by, {"fields": fields})
        return fields


@dataclass(kw_only=True)
class Building(_Record):
    """楼栋: a name unique in its project and its number of floors."""

    name: str
    floors: int

    @classmethod
    def create(cls, *, org_id: UUID, project_id: UUID, name: str, floors: int, by: str) -> Building:
        b = cls(id=uuid4(), org_id=org_id, project_id=project_id, name=text_field(name, "name", zh="楼栋名称", max_len=100),
                floors=_number(floors, "floors", zh="总层数", low=1, high=200))
        b._record("building.created", "building", by, {"name": b.name})
        return b

    def update(self, *, name: str | None, floors: int | None, by: str) -> list[str]:
        return self._changed("building", by, {
            "name": self.name if name is None else text_field(name, "name", zh="楼栋名称", max_len=100),
            "floors": self.floors if floors is None else _number(floors, "floors", zh="总层数", low=1, high=200)})


def floors_below_flat(label: str, floor: int) -> DomainError:
    """A building cannot have fewer floors than its highest flat is on: the flat would be on a
    floor the building does not have."""
    return invalid(f"「{label}」在 {floor} 层，总层数不能少于 {floor}；请先修改或删除该房屋。"
                   f"Flat {label} is on floor {floor}: the building cannot have fewer floors. Move or remove the flat first.",
                   "floors")


@dataclass(kw_only=True)
class Unit(_Record):
    """房屋: a flat of a building, unique by (building, entrance 单元, number)."""

    building_id: UUID
    entrance: str
    number: str
    floor: int
    area_m2: float | None
    use: UnitUse
    vacant: bool

    @classmethod
    def create(cls, *, org_id: UUID, project_id: UUID, building: Building, entrance: str, number: str, floor: int,
               area_m2: float | None, use: UnitUse, vacant: bool, by: str) -> Unit:
        building_id = building.id
        u = cls(id=uuid4(), org_id=org_id, project_id=project_id, building_id=building_id,
                entrance=text_field(entrance, "entrance", zh="单元", max_len=50, required=False),
                number=text_field(number, "number", zh="房号", max_len=50),
                floor=_floor(floor, building.floors), area_m2=_area(area_m2), use=use, vacant=vacant)
        u._record("unit.created", "unit", by, {"building_id": str(building_id), "number": u.number})
        return u

    def update(self, *, entrance: str | None, number: str | None, floor: int | None, building: Building | None,
               area_m2: float | None, clear_area: bool, use: UnitUse | None, vacant: bool | None, by: str) -> list[str]:
        """`building`: this flat's, needed when `floor` is given; `clear_area`: the area was given as
        null — unknown again."""
        if floor is not None and (building is None or building.id != self.building_id):
            raise ValueError("a flat's floor is checked against its own building")
        return self._changed("unit", by, {
            "entrance": self.entrance if entrance is None else text_field(entrance, "entrance", zh="单元", max_len=50,
                                                                          required=False),
            "number": self.number if number is None else text_field(number, "number", zh="房号", max_len=50),
            "floor": self.floor if floor is None or building is None else _floor(floor, building.floors),
            "area_m2": None if clear_area else self.area_m2 if area_m2 is None else _area(area_m2),
            "use": self.use if use is None else use,
            "vacant": self.vacant if vacant is None else vacant})


@dataclass(kw_only=True)
class Resident(_Record):
    """住户: a person or company of one project. Its phone and ID number are sealed; an erased
    resident (PIPL) is an anonymous id that no one edits any more."""

    name: str
    kind: ResidentKind
    phone: Sealed | None
    id_kind: IdKind | None
    id_number: Sealed | None
    note: str
    verified_at: datetime | None = None
    erased_at: datetime | None = None
    erased_by: str | None = None

    @classmethod
    def register(cls, *, org_id: UUID, project_id: UUID, name: str, kind: ResidentKind, phone: Sealed | None,
                 id_kind: IdKind | None, id_number: Sealed | None, note: str, by: str) -> Resident:
        r = cls(id=uuid4(), org_id=org_id, project_id=project_id, name=text_field(name, "name", zh="姓名", max_len=100),
                kind=kind, phone=phone, id_kind=_id_kind(id_kind, id_number), id_number=id_number,
                note=text_field(note, "note", zh="备注", max_len=500, required=False))
        r._record("resident.registered", "resident", by, {})
        return r

    def update(self, *, name: str | None, kind: ResidentKind | None, phone: Sealed | None, clear_phone: bool,
               id_kind: IdKind | None, id_number: Sealed | None, clear_id_number: bool, note: str | None,
               now: datetime, by: str) -> list[str]:
        """A field given None keeps its value; `clear_*` removes a number. An edit is made with the
        person on the line or at the door, so it counts as confirming the record (核实)."""
        self._not_erased()
        new_id_number = None if clear_id_number else _same_or(self.id_number, id_number)
        fields = self._changed("resident", by, {
            "name": self.name if name is None else text_field(name, "name", zh="姓名", max_len=100),
            "kind": self.kind if kind is None else kind,
            "phone": None if clear_phone else _same_or(self.phone, phone),
            "id_number": new_id_number,
            "id_kind": _id_kind(id_kind or self.id_kind, new_id_number),
            "note": self.note if note is None else text_field(note, "note", zh="备注", max_len=500, required=False)})
        self.verified_at = now
        return fields

    def confirm(self, *, now: datetime, by: str) -> None:
        """核实: a person confirmed the record on a call or a visit."""
        self._not_erased()
        self.verified_at = now
        self._record("resident.verified", "resident", by, {})

    def erase(self, *, reason: str, now: datetime, by: str) -> bool:
        """删除个人信息 (PIPL): the record becomes an anonymous id — name 已删除住户, no numbers, kind and
        note cleared — kept so that its cases and stays still point at someone. Erasing again
        changes and records nothing (False): the first erasure is the answer. The audit row holds
        the reason; the event (for integrators' webhooks) ids only."""
        if self.erased_at is not None:
            return False
        self.name, self.kind, self.note = ERASED_NAME, ResidentKind.PERSON, ""
        self.phone = self.id_number = None
        self.id_kind = None
        self.verified_at = None
        self.erased_at, self.erased_by = now, by
        self.audit.append(AuditEntry(action="resident.erased", entity="resident", entity_id=self.id,
                                     project_id=self.project_id, data={"reason": reason}, actor=by))
        self.events.append(Event(topic="resident.erased", org_id=self.org_id, project_id=self.project_id,
                                 payload={"resident_id": str(self.id), "actor": by, "erased_at": now.isoformat()}))
        return True

    def _not_erased(self) -> None:
        if self.erased_at is not None:
            raise erased_refusal("residentId")


def erased_refusal(field: str) -> DomainError:
    return DomainError(ErrorCode.INVALID_STATE, "该住户的个人信息已按本人要求删除，不能再使用。"
                                                "This resident's personal data was erased on request.", field,
                       reason=ErrorReason.RESIDENT_ERASED)


def _same_or(old: Sealed | None, new: Sealed | None) -> Sealed | None:
    """The same number typed again keeps its stored ciphertext (compared by hash, as the import does)."""
    if new is None or (old is not None and old.hash == new.hash):
        return old
    return new


def _id_kind(kind: IdKind | None, number: Sealed | None) -> IdKind | None:
    if number is None:
        return None
    return kind or IdKind.ID_CARD


@dataclass(kw_only=True)
class Occupancy(_Record):
    """入住: one stay of a resident in a flat. Moving out closes it; moving back opens a new one."""

    unit_id: UUID
    resident_id: UUID
    role: OccupantRole
    primary_contact: bool
    moved_in_on: date | None
    moved_out_on: date | None = None

    @classmethod
    def start(cls, *, org_id: UUID, project_id: UUID, unit_id: UUID, resident_id: UUID, role: OccupantRole,
              primary_contact: bool, moved_in_on: date | None, today: date, by: str) -> Occupancy:
        if moved_in_on is not None and moved_in_on > today + MOVE_OUT_AHEAD:
            raise invalid("入住日期最多可提前 31 天登记。movedInOn is at most 31 days ahead.", "movedInOn")
        o = cls(id=uuid4(), org_id=org_id, project_id=project_id, unit_id=unit_id, resident_id=resident_id, role=role,
                primary_contact=primary_contact, moved_in_on=moved_in_on)
        o._record("occupancy.started", "occupancy", by, {"unit_id": str(unit_id), "resident_id": str(resident_id),
                                                          "role": role.value})
        return o

    def end(self, *, moved_out_on: date, today: date, by: str) -> None:
        if self.moved_out_on is not None:
            raise DomainError(ErrorCode.INVALID_STATE, f"该住户已于 {self.moved_out_on} 迁出。"
                                                       f"This stay already ended on {self.moved_out_on}.", "occupancyId",
                              reason=ErrorReason.ALREADY_MOVED_OUT)
        if self.moved_in_on is not None and moved_out_on < self.moved_in_on:
            raise invalid(f"迁出日期不能早于入住日期 {self.moved_in_on}。movedOutOn cannot be before movedInOn.",
                          "movedOutOn")
        if moved_out_on > today + MOVE_OUT_AHEAD:
            raise invalid("迁出日期最多可提前 31 天登记。movedOutOn is at most 31 days ahead.", "movedOutOn")
        self.moved_out_on = moved_out_on
        self._record("occupancy.ended", "occupancy", by, {"unit_id": str(self.unit_id),
                                                           "resident_id": str(self.resident_id)})
