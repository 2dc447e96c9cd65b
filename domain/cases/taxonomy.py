"""工单类别 The company's case categories: a code clients send, a Chinese and an English label, the
case kinds a category applies to (none named: every kind) and its place in lists. An admin adds,
renames and archives them; an archived category takes no new case, and its cases keep it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.cases.states import KIND_LABELS, CaseKind
from domain.errors import DomainError, ErrorCode, conflict, invalid, not_found
from tenants.records import record_change

CODE = re.compile(r"^[a-z0-9_]{1,40}$")
COLUMNS = "id, code, name, name_en, kinds, sort, NOT active AS archived"
# Row-level security keeps every statement to the caller's company.
LIST = text(f"SELECT {COLUMNS} FROM case_categories WHERE (active OR :archived) "
            "AND (CAST(:kind AS text) IS NULL OR kinds IS NULL OR CAST(:kind AS text) = ANY(kinds)) ORDER BY sort, code")
BY_CODE = text(f"SELECT {COLUMNS} FROM case_categories WHERE code = ANY(:codes)")
_INSERT = text("INSERT INTO case_categories (org_id, code, name, name_en, kinds, sort) VALUES (:o, :code, :name, :en, :kinds, "
               f"coalesce(:sort, (SELECT coalesce(max(sort) + 1, 0) FROM case_categories))) ON CONFLICT DO NOTHING RETURNING {COLUMNS}")
_UPDATE = text("UPDATE case_categories SET name = :name, name_en = :en, kinds = :kinds, sort = :sort "
               f"WHERE id = :id RETURNING {COLUMNS}")
_ARCHIVE = text(f"UPDATE case_categories SET active = NOT :archived WHERE id = :id RETURNING {COLUMNS}")


@dataclass(frozen=True)
class Labels:
    """What an admin writes about a category: both labels, the kinds (None: every kind), the place."""

    name: str
    name_en: str
    kinds: Sequence[CaseKind] | None = None
    sort: int | None = None

    def checked(self) -> Labels:
        name, name_en = self.name.strip(), self.name_en.strip()
        if not 1 <= len(name) <= 50:
            raise invalid("name (中文) must have 1–50 characters.", "name")
        if not 1 <= len(name_en) <= 80:
            raise invalid("nameEn must have 1–80 characters.", "nameEn")
        if self.kinds is not None and not self.kinds:
            raise invalid("kinds must name at least one kind, or be left out for every kind.", "kinds")
        if self.sort is not None and not 0 <= self.sort <= 10_000:
            raise invalid("sort must be between 0 and 10,000.", "sort")
        kinds = [k for k in CaseKind if k in {CaseKind(x) for x in self.kinds}] if self.kinds is not None else None
        return Labels(name, name_en, kinds, self.sort)

    def params(self) -> dict:
        return {"name": self.name, "en": self.name_en, "kinds": [k.value for k in self.kinds] if self.kinds else None,
                "sort": self.sort}


async def category_for_new_case(conn: AsyncConnection, code: str, kind: CaseKind) -> UUID:
    """The category a new case is registered under: it exists, is not archived and takes this kind."""
    row = (await conn.execute(BY_CODE, {"codes": [code.strip()[:40]]})).first()
    if row is None:
        raise not_found(f"The category {code[:40]!r} (see caseCategories)", "category")
    if row.archived:
        raise DomainError(ErrorCode.CATEGORY_ARCHIVED,
                          f"The category {row.code} ({row.name}) is archived and takes no new cases; choose another.", "category")
    if row.kinds is not None and kind.value not in row.kinds:
        raise invalid(f"The category {row.code} ({row.name}) is not for {KIND_LABELS[kind]}; see caseCategories(kind).", "category")
    return row.id


async def add_category(conn: AsyncConnection, *, org_id: UUID, actor: str, code: str, labels: Labels) -> Row:
    code = code.strip()
    if not CODE.match(code):
        raise invalid("code must be 1–40 lower-case letters, digits or '_', e.g. water_power.", "code")
    labels = labels.checked()
    row = (await conn.execute(_INSERT, {"o": org_id, "code": code, **labels.params()})).first()
    if row is None:
        raise conflict(f"The company already has a category {code} (archived ones too).", "code")
    await _record(conn, org_id, actor, "case_category.added", row)
    return row


async def change_category(conn: AsyncConnection, *, org_id: UUID, actor: str, code: str, labels: Labels) -> Row:
    """Renames (and re-sorts, re-scopes) a category; its code stays, so clients keep sending it."""
    current = await _get(conn, code)
    labels = labels.checked()
    params = {**labels.params(), "sort": current.sort if labels.sort is None else labels.sort, "id": current.id}
    row = (await conn.execute(_UPDATE, params)).one()
    await _record(conn, org_id, actor, "case_category.changed", row)
    return row


async def set_archived(conn: AsyncConnection, *, org_id: UUID, actor: str, code: str, archived: bool) -> Row:
    current = await _get(conn, code)
    row = (await conn.execute(_ARCHIVE, {"id": current.id, "archived": archived})).one()
    await _record(conn, org_id, actor, "case_category.archived" if archived else "case_category.restored", row)
    return row


async def _get(conn: AsyncConnection, code: str) -> Row:
    row = (await conn.execute(text(f"SELECT {COLUMNS} FROM case_categories WHERE code = :c FOR UPDATE"), {"c": code.strip()[:40]})).first()
    if row is None:
        raise not_found(f"The category {code[:40]!r}", "code")
    return row


async def _record(conn: AsyncConnection, org_id: UUID, actor: str, topic: str, row: Row) -> None:
    await record_change(conn, org_id=org_id, project_id=None, actor=actor, topic=topic, entity="case_category", entity_id=row.id,
                        data={"code": row.code, "name": row.name, "name_en": row.name_en, "kinds": row.kinds,
                              "archived": row.archived})
