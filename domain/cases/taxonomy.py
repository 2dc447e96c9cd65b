"""工单类别 The company's case categories: a code clients send, a Chinese and an English label, the
case kinds a category applies to (none named: every kind) and its place in lists. An admin adds,
renames and archives them (category_model.py); an archived category takes no new case, and its cases keep it."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.cases.states import KIND_LABELS, CaseKind
from domain.errors import DomainError, ErrorCode, invalid, not_found

CODE = re.compile(r"^[a-z0-9_]{1,40}$")
COLUMNS = "id, code, name, name_en, kinds, sort, NOT active AS archived"
# Row-level security keeps every statement to the caller's company.
LIST = text(f"SELECT {COLUMNS} FROM case_categories WHERE org_id = :org AND (active OR :archived) "
            "AND (CAST(:kind AS text) IS NULL OR kinds IS NULL OR CAST(:kind AS text) = ANY(kinds)) ORDER BY sort, code")
BY_CODE = text(f"SELECT {COLUMNS} FROM case_categories WHERE org_id = :o AND code = ANY(:codes)")


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
            raise invalid("中文名称须为 1 到 50 个字符。name (中文) must have 1–50 characters.", "name")
        if not 1 <= len(name_en) <= 80:
            raise invalid("英文名称须为 1 到 80 个字符。nameEn must have 1–80 characters.", "nameEn")
        if self.kinds is not None and not self.kinds:
            raise invalid("类型 kinds 须至少列一种，不填则适用全部类型。"
                          "kinds must name at least one kind, or be left out for every kind.", "kinds")
        if self.sort is not None and not 0 <= self.sort <= 10_000:
            raise invalid("排序 sort 须在 0 到 10000 之间。sort must be between 0 and 10,000.", "sort")
        kinds = [k for k in CaseKind if k in {CaseKind(x) for x in self.kinds}] if self.kinds is not None else None
        return Labels(name, name_en, kinds, self.sort)

    def params(self) -> dict[str, Any]:
        return {"name": self.name, "en": self.name_en, "kinds": [k.value for k in self.kinds] if self.kinds else None,
                "sort": self.sort}


def stored_code(code: str) -> str:
    """A category code as sent, as it would be stored."""
    return code.strip()[:40]


def checked_category(row: Mapping[str, Any] | None, code: str, kind: CaseKind) -> UUID:
    """The category a new case is registered under, from the row read for `code` (None, or a null
    id: no such category): it exists, is not archived and takes this kind."""
    if row is None or row["id"] is None:
        raise not_found(f"The category {code[:40]!r} (see caseCategories)", "category", zh="分类")
    if row["archived"]:
        raise DomainError(ErrorCode.CATEGORY_ARCHIVED,
                          f"分类「{row['name']}」已归档，不再接收新工单，请另选分类。"
                          f"The category {row['code']} ({row['name']}) is archived and takes no new cases; choose another.",
                          "category")
    if row["kinds"] is not None and kind.value not in row["kinds"]:
        raise invalid(f"分类「{row['name']}」不适用于{KIND_LABELS[kind]}，请查看 caseCategories(kind)。"
                      f"The category {row['code']} ({row['name']}) is not for {KIND_LABELS[kind]}; see caseCategories(kind).",
                      "category")
    category_id: UUID = row["id"]
    return category_id
