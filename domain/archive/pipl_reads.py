"""What the company holds about one resident, for their own copy (PIPL 查阅/复制, docs/archive.md
§3): the record with its sealed numbers (opened by the export's use case, never here), where they
live and lived, contacts, vehicles, pets, the cases they reported, and who saw their numbers in
full or exported them. Row-level security keeps every statement inside the caller's reach."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.archive.reads import UNIT_COLUMNS, UNIT_FROM
from domain.reads import Reader, Row

_RESIDENT = text(
    "SELECT r.id, r.project_id, p.name AS project_name, r.name, r.kind, r.phone_enc, r.id_kind, r.id_number_enc, r.note, "
    "r.verified_at, r.created_at, r.erased_at FROM residents r JOIN projects p ON p.org_id = r.org_id AND p.id = r.project_id "
    "WHERE r.org_id = :o AND r.id = :r")
_STAYS = text(
    f"SELECT o.role, o.primary_contact, o.moved_in_on, o.moved_out_on, {UNIT_COLUMNS} FROM occupancies o "
    f"JOIN ({UNIT_FROM}) ON u.org_id = o.org_id AND u.id = o.unit_id "
    "WHERE o.org_id = :o AND o.resident_id = :r ORDER BY (o.moved_out_on IS NULL) DESC, o.moved_in_on DESC NULLS LAST, o.id")
_CONTACTS = text("SELECT kind, label, value_enc FROM resident_contacts WHERE org_id = :o AND resident_id = :r "
                 "ORDER BY kind, created_at, id")
_VEHICLES = text(
    "SELECT v.plate, v.kind, v.brand, v.colour, v.valid_until, "
    "  concat_ws(' ', nullif(s.area, ''), s.number) AS space FROM vehicles v "
    "LEFT JOIN parking_spaces s ON s.org_id = v.org_id AND s.id = v.space_id "
    "WHERE v.org_id = :o AND v.resident_id = :r ORDER BY v.plate")
_PETS = text("SELECT name, species, breed, licence_no, vaccinated_on FROM pets WHERE org_id = :o AND resident_id = :r "
             "ORDER BY name")
_CASES = text(
    "SELECT c.number, c.received_at, c.kind, cat.name AS category, c.description, c.state FROM cases c "
    "JOIN case_categories cat ON cat.org_id = c.org_id AND cat.id = c.category_id "
    "WHERE c.org_id = :o AND c.reporter_resident_id = :r ORDER BY c.received_at, c.number")
# Who saw their numbers in full, or took a copy of all of it: the audit rows, oldest first.
_VIEWS = text(
    "SELECT a.at, a.action, a.actor, a.data ->> 'field' AS field, a.data ->> 'reason' AS reason, "
    "  (SELECT coalesce(u.display_name, u.username) FROM users u "
    "   WHERE a.actor LIKE 'user:%' AND u.org_id = a.org_id AND u.id::text = substr(a.actor, 6)) AS actor_name, "
    "  (SELECT c.number FROM cases c WHERE c.org_id = a.org_id AND c.id::text = a.data ->> 'case_id') AS case_number "
    "FROM audit_log a WHERE a.org_id = :o AND a.entity = 'resident' AND a.entity_id = :r "
    "AND a.action IN ('personal_data.revealed', 'personal_data.exported') ORDER BY a.at, a.id")


async def resident(db: Reader, resident_id: UUID) -> Row[Any] | None:
    return await db.first(_RESIDENT, {"o": db.org_id, "r": resident_id})


async def belongings(db: Reader, org_id: UUID, resident_id: UUID) -> dict[str, list[Row[Any]]]:
    """Each sheet's rows after the first: stays, contacts, vehicles, pets, cases, views."""
    params = {"o": org_id, "r": resident_id}
    return {name: await db.all(stmt, params) for name, stmt in (
        ("stays", _STAYS), ("contacts", _CONTACTS), ("vehicles", _VEHICLES), ("pets", _PETS), ("cases", _CASES),
        ("views", _VIEWS))}
