"""The import's staging (docs/archive.md §6.3 step 4): one temporary table per sheet, dropped at
commit, each read row a record with its Excel row number. A phone or ID number arrives sealed —
ciphertext, keyed hash, mask — so no clear value reaches the database, even in a temp table; a
masked value (an export's `138****1234`) is staged as its mask alone, "keep what is on file".
Limits the tables' CHECKs would refuse are the report's problems here, not a database error."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from domain.archive import cells
from domain.archive.report import Report
from domain.archive.sheets import Sheet
from domain.archive.workbook import Row
from tenants.personal_data import PersonalDataCipher, mask_id_number, mask_phone

# Column, its type in the staging table. Every table starts with the row number and a `bad` flag
# the set checks raise, so a refused row takes no part in the merge.
_COMMON = (("row", "integer"), ("bad", "boolean"))
_SEALED = ("enc", "bytea"), ("hash", "bytea"), ("masked", "text")

Staging = dict[str, tuple[tuple[str, str], ...]]  # sheet key → its staging columns and their types
COLUMNS: Staging = {
    "buildings": (("name", "text"), ("floors", "integer"), ("id", "uuid")),
    "units": (("building", "text"), ("entrance", "text"), ("number", "text"), ("floor", "integer"),
              ("area_m2", "numeric"), ("use", "text"), ("vacant", "boolean"), ("building_id", "uuid")),
    "residents": (("building", "text"), ("entrance", "text"), ("number", "text"), ("name", "text"), ("role", "text"),
                  ("kind", "text"), *((f"phone_{c}", t) for c, t in _SEALED), ("id_kind", "text"),
                  *((f"idno_{c}", t) for c, t in _SEALED), ("moved_in_on", "date"), ("moved_out_on", "date"),
                  ("primary_contact", "boolean"), ("note", "text"), ("unit_id", "uuid"), ("resident_id", "uuid"),
                  ("stay_id", "uuid"), ("changed", "boolean"), ("created", "boolean")),
    "parking": (("area", "text"), ("number", "text"), ("tenure", "text"), ("building", "text"), ("entrance", "text"),
                ("unit_number", "text"), ("holder_hash", "bytea"), ("holder_masked", "text"), ("lease_until", "date"),
                ("unit_id", "uuid"), ("holder_id", "uuid")),
    "vehicles": (("plate", "text"), ("kind", "text"), ("brand", "text"), ("colour", "text"), ("owner_hash", "bytea"),
                 ("owner_masked", "text"), ("area", "text"), ("space", "text"), ("valid_until", "date"),
                 ("resident_id", "uuid"), ("space_id", "uuid")),
    "pets": (("name", "text"), ("species", "text"), ("breed", "text"), ("licence_no", "text"), ("vaccinated_on", "date"),
             ("owner_hash", "bytea"), ("owner_masked", "text"), ("building", "text"), ("entrance", "text"),
             ("number", "text"), ("resident_id", "uuid"), ("unit_id", "uuid")),
    "staff": (("name", "text"), ("department", "text"), ("title", "text"), *((f"phone_{c}", t) for c, t in _SEALED),
              ("department_id", "uuid")),
}

# The tables' length CHECKs (0001, 0027), by sheet and field.
_LIMITS: dict[str, dict[str, int]] = {
    "buildings": {"building": 100}, "units": {"building": 100, "entrance": 50, "number": 50},
    "residents": {"name": 100, "note": 500, "building": 100, "entrance": 50, "number": 50},
    "parking": {"area": 50, "space": 50, "building": 100, "entrance": 50, "unit_number": 50},
    "vehicles": {"brand": 50, "colour": 20, "area": 50, "space": 50},
    "pets": {"name": 50, "breed": 50, "licence_no": 50, "building": 100, "entrance": 50, "number": 50},
    "staff": {"name": 100, "title": 100},
}
# Integer and decimal ranges the tables hold (floors 1-200, area numeric(8, 2) > 0).
_RANGES: dict[tuple[str, str], tuple[Decimal, Decimal]] = {
    ("buildings", "floors"): (Decimal(1), Decimal(200)), ("units", "floor"): (Decimal(-20), Decimal(300)),
    ("units", "area_m2"): (Decimal("0.01"), Decimal("999999.99")),
}


def table(sheet: str) -> str:
    return f"import_{sheet}"


def create_sql(sheet: str, columns: Staging = COLUMNS) -> str:
    cols = ", ".join(f"{name} {kind}" for name, kind in (*_COMMON, *columns[sheet]))
    return f"CREATE TEMP TABLE {table(sheet)} ({cols}) ON COMMIT DROP"


def column_names(sheet: str, columns: Staging = COLUMNS) -> list[str]:
    return [name for name, _ in (*_COMMON, *columns[sheet])]


@dataclass
class Sealer:
    """A phone or ID number as the tables keep it; a masked one as its mask alone."""

    cipher: PersonalDataCipher

    def seal(self, value: Any, mask: Callable[[str], str]) -> tuple[bytes | None, bytes | None, str | None]:
        if not isinstance(value, str):
            return None, None, None
        if cells.masked(value):
            return None, None, value
        return self.cipher.encrypt(value), self.cipher.lookup_hash(value), mask(value)

    def hash(self, value: Any) -> tuple[bytes | None, str | None]:
        """A reference by phone (an owner, a holder): its hash, or its mask when masked."""
        if not isinstance(value, str):
            return None, None
        if cells.masked(value):
            return None, value
        return self.cipher.lookup_hash(value), None


def record(sheet: Sheet, row: Row, sealer: Sealer, report: Report, where: dict[str, str]) -> tuple[Any, ...] | None:
    """The staging record of a read row, or None (and the problems) when a value exceeds what the
    table holds."""
    v: dict[str, Any] = row.values
    if not _fits(sheet, row, report, where):
        return None
    head = (row.number, False)
    s = v.get
    match sheet.key:
        case "buildings":
            return (*head, s("building"), s("floors"), None)
        case "units":
            return (*head, s("building"), s("entrance") or "", s("number"), s("floor"), s("area_m2"), s("use"),
                    s("vacant"), None)
        case "residents":
            return (*head, s("building"), s("entrance") or "", s("number"), s("name"), s("role"), s("kind"),
                    *sealer.seal(s("phone"), mask_phone), s("id_kind") or ("id_card" if _clear(s("id_number")) else None),
                    *sealer.seal(s("id_number"), mask_id_number), s("moved_in_on"), s("moved_out_on"),
                    s("primary_contact"), s("note"), None, None, None, False, False)
        case "parking":
            return (*head, s("area"), s("space"), s("tenure"), s("building"), s("entrance") or "", s("unit_number"),
                    *sealer.hash(s("holder_phone")), s("lease_until"), None, None)
        case "vehicles":
            return (*head, s("plate"), s("kind"), s("brand"), s("colour"), *sealer.hash(s("owner_phone")), s("area"),
                    s("space"), s("valid_until"), None, None)
        case "pets":
            return (*head, s("name"), s("species"), s("breed"), s("licence_no"), s("vaccinated_on"),
                    *sealer.hash(s("owner_phone")), s("building"), s("entrance") or "", s("number"), None, None)
        case "staff":
            return (*head, s("name"), s("department"), s("title"), *sealer.seal(s("phone"), mask_phone), None)
    raise AssertionError(sheet.key)


def _clear(value: Any) -> bool:
    """A number given in full: an ID number without its kind is then a 居民身份证."""
    return isinstance(value, str) and not cells.masked(value)


def _fits(sheet: Sheet, row: Row, report: Report, where: dict[str, str]) -> bool:
    ok = True
    for field, limit in _LIMITS.get(sheet.key, {}).items():
        value = row.values.get(field)
        if isinstance(value, str) and len(value) > limit:
            report.add("TOO_LONG", sheet=sheet.name, row=row.number, column=where.get(field, ""), value=value[:50],
                       limit=limit)
            ok = False
    for (key, field), (low, high) in _RANGES.items():
        value = row.values.get(field)
        if key == sheet.key and isinstance(value, int | Decimal) and not low <= value <= high:
            report.add("OUT_OF_RANGE", sheet=sheet.name, row=row.number, column=where.get(field, ""), value=str(value),
                       low=low, high=high)
            ok = False
    return ok
