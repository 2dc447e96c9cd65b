"""Case categories in PostgreSQL; row-level security keeps every statement to the caller's company."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from domain.cases.category_model import Category
from domain.cases.taxonomy import COLUMNS
from domain.errors import conflict, not_found
from domain.unit_of_work import UnitOfWork

_INSERT = text("INSERT INTO case_categories (org_id, id, code, name, name_en, kinds, sort) VALUES (:o, :id, :code, :name, :en, "
               ":kinds, coalesce(:sort, (SELECT coalesce(max(sort) + 1, 0) FROM case_categories WHERE org_id = :o))) "
               "ON CONFLICT DO NOTHING RETURNING sort")
_UPDATE = text("UPDATE case_categories SET name = :name, name_en = :en, kinds = :kinds, sort = :sort, active = NOT :archived "
               "WHERE org_id = :o AND id = :id")
_LOCKED = text(f"SELECT {COLUMNS} FROM case_categories WHERE org_id = :o AND code = :c FOR UPDATE")


class CategoryRepository:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def get(self, code: str) -> Category:
        """Locked for the change; NOT_FOUND when the company has no such code."""
        row = (await self._uow.conn.execute(_LOCKED, {"o": self._uow.org_id, "c": code.strip()[:40]})).first()
        if row is None:
            raise not_found(f"The category {code[:40]!r}", "code", zh="分类")
        category = Category(org_id=self._uow.org_id, id=row.id, code=row.code, name=row.name, name_en=row.name_en,
                            kinds=row.kinds, sort=row.sort, archived=row.archived)
        self._uow.track(category)
        return category

    async def add(self, category: Category) -> None:
        row = (await self._uow.conn.execute(_INSERT, {"o": self._uow.org_id, **self._values(category)})).first()
        if row is None:
            raise conflict(f"公司已有分类 {category.code}（含已归档的分类）。"
                           f"The company already has a category {category.code} (archived ones too).", "code")
        category.sort = row.sort
        self._uow.track(category)

    async def save(self, category: Category) -> None:
        await self._uow.conn.execute(_UPDATE, {"o": self._uow.org_id, **self._values(category), "archived": category.archived})

    @staticmethod
    def _values(c: Category) -> dict[str, Any]:
        return {"id": c.id, "code": c.code, "name": c.name, "en": c.name_en, "kinds": c.kinds, "sort": c.sort}
