"""工单类别 The company's case categories: the list clients pick codes from, and what its
management mutations answer."""

from __future__ import annotations

import contextlib

import strawberry

from api.context import Info
from api.graphql.types.case import CaseCategory, CaseKindType
from api.graphql.types.errors import UserError
from domain.cases.states import CaseKind
from domain.cases.taxonomy import LIST, Labels


@strawberry.input(description="How a category reads and where it applies.")
class CaseCategoryInput:
    name: str = strawberry.field(description="中文名称 The Chinese label, 1–50 characters.")
    name_en: str = strawberry.field(description="The English label, 1–80 characters.")
    kinds: list[CaseKindType] | None = strawberry.field(default=None, description="The case kinds it applies to; null: every kind.")
    sort: int | None = strawberry.field(default=None, description="Its place in lists (0–10,000); null: after the others "
                                                                  "(when adding) or unchanged (when renaming).")

    def labels(self) -> Labels:
        return Labels(name=self.name, name_en=self.name_en, sort=self.sort,
                      kinds=[CaseKind(k.value) for k in self.kinds] if self.kinds is not None else None)


@strawberry.type
class CaseCategoryPayload:
    category: CaseCategory | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def of_row(row) -> CaseCategory:
    return CaseCategory(code=row.code, name=row.name, entry=row)


async def case_categories(info: Info, kind: CaseKindType | None, include_archived: bool) -> list[CaseCategory]:
    rows = await info.context.db.all(LIST, {"org": info.context.db.org_id, "kind": kind.value if kind else None,
                                               "archived": include_archived})
    return [of_row(r) for r in rows]


async def category_payload(info: Info, code: str) -> CaseCategoryPayload:
    with contextlib.suppress(KeyError):  # read earlier in this request: stale now
        info.context.loaders.category_by_code.clear(code)
    row = await info.context.loaders.category_by_code.load(code)
    return CaseCategoryPayload(category=of_row(row) if row else None)
