"""品质检查 The rules of an HQ quality inspection, as a quality department runs one.

- A checklist has 1–100 items, each worth 1–100 whole points, optionally for one kind of
  department. Its items never change once created: an inspection keeps meaning what it scored.
- Every item is scored on submission: 0 to its points, or 不适用 not applicable (no lift in an
  elevator-less block) — left out of both what was awarded and what could be.
- Score = 100 × awarded / possible over the applicable items.
- Every deduction (an item below its points) needs its reason in the comment (扣分说明).
- A finding (整改项) is a deduction that needs rectification; it becomes a case of the project.
  Not every deduction is one — a fault put right on the spot (当场整改) is noted, not sent — but
  a finding on an item that lost no points is a contradiction and is refused. One per item.
- A draft may be partial and has no score; only a submitted inspection counts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from domain.errors import invalid
from domain.unit_of_work import Aggregate, AuditEntry

DEPARTMENT_KINDS = ("customer_service", "engineering", "cleaning", "security", "greening", "quality", "admin")
MAX_ITEMS = 100
MAX_POINTS = 100
# A finding asks for work, never speaks for a resident: `repair` for the fabric (报修), `request`
# for a service to put right (报事). A complaint would count against the project a second time
# (complaints per 1,000 households) and trip the residents' alerts.
FINDING_KINDS = ("repair", "request")
SEVERITIES = ("emergency", "major", "general")
# The category a finding's case gets when the inspector names none, from the item's department.
DEFAULT_CATEGORY = {"engineering": "facilities", "cleaning": "sanitation", "greening": "greening", "security": "safety"}
EARLIEST = date(2000, 1, 1)
_CODE = re.compile(r"[a-z0-9_]{1,40}")


@dataclass(frozen=True)
class ItemSpec:
    title: str
    max_points: int
    guidance: str = ""
    department_kind: str | None = None


@dataclass(frozen=True)
class Item:
    id: UUID
    position: int
    title: str
    max_points: int
    department_kind: str | None = None


@dataclass(frozen=True)
class Result:
    item_id: UUID
    points: int | None  # None: not applicable
    comment: str = ""


@dataclass(frozen=True)
class Finding:
    item_id: UUID
    description: str
    severity: str = "general"
    kind: str = "repair"
    category: str | None = None
    public_area: str | None = None


@dataclass(frozen=True)
class Score:
    awarded: int
    possible: int

    @property
    def score(self) -> float:
        return 100 * self.awarded / self.possible


def checklist(name: str, items: Sequence[ItemSpec]) -> tuple[str, tuple[ItemSpec, ...]]:
    """The checklist as it will be stored (trimmed), or a VALIDATION error naming the field."""
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise invalid("名称须为 1 到 100 个字符。name must have 1 to 100 characters.", "name")
    if not items:
        raise invalid("检查表至少需要一个检查项。A checklist needs at least one item.", "items")
    if len(items) > MAX_ITEMS:
        raise invalid(f"检查表最多 {MAX_ITEMS} 个检查项。A checklist may have at most {MAX_ITEMS} items.", "items")
    clean = []
    for n, item in enumerate(items, 1):
        title, guidance = item.title.strip(), item.guidance.strip()
        if not 1 <= len(title) <= 200:
            raise invalid(f"第 {n} 项：标题须为 1 到 200 个字符。Item {n}: the title must have 1 to 200 characters.", "items")
        if len(guidance) > 1000:
            raise invalid(f"第 {n} 项：检查说明最多 1,000 个字符。Item {n}: guidance may have at most 1,000 characters.", "items")
        if not 1 <= item.max_points <= MAX_POINTS:
            raise invalid(f"第 {n} 项：分值须为 1 到 {MAX_POINTS} 的整数。Item {n}: points must be a whole number from 1 to {MAX_POINTS}.",
                          "items")
        if item.department_kind is not None and item.department_kind not in DEPARTMENT_KINDS:
            kinds = ", ".join(DEPARTMENT_KINDS)
            raise invalid(f"第 {n} 项：部门类型须为以下之一：{kinds}。Item {n}: department kind must be one of {kinds}.", "items")
        clean.append(ItemSpec(title, item.max_points, guidance, item.department_kind))
    if len({i.title for i in clean}) != len(clean):
        raise invalid("有两个检查项标题相同，请修改其一。Two items have the same title.", "items")
    return name, tuple(clean)


@dataclass(kw_only=True)
class Checklist(Aggregate):
    """检查表 of the company, as its quality department makes it and switches it on or off; its
    items never change once made."""

    id: UUID
    name: str
    items: tuple[ItemSpec, ...] = ()
    active: bool = True

    @classmethod
    def create(cls, name: str, items: Sequence[ItemSpec], *, by: str) -> Checklist:
        name, clean = checklist(name, items)
        made = cls(id=uuid4(), name=name, items=clean)
        made._record("inspection.checklist_created", by, {"name": name, "items": len(clean)})
        return made

    def switch(self, active: bool, *, by: str) -> None:
        self.active = active
        self._record("inspection.checklist_switched", by, {"active": active})

    def _record(self, action: str, by: str, data: dict[str, Any]) -> None:
        self.audit.append(AuditEntry(action=action, entity="inspection_checklist", entity_id=self.id, data=data, actor=by))


@dataclass(kw_only=True)
class Recording(Aggregate):
    """An inspection as it is recorded: its audit row (drafted or submitted, with its score)."""

    project_id: UUID

    def recorded(self, inspection_id: UUID, score: Score | None, findings: int, *, by: str) -> None:
        self.audit.append(AuditEntry(action="inspection.submitted" if score is not None else "inspection.drafted",
                                     entity="inspection", entity_id=inspection_id, project_id=self.project_id,
                                     data={"score": score.score if score else None, "findings": findings}, actor=by))


def result(item_id: UUID, points: int | None, not_applicable: bool, comment: str) -> Result:
    """An item's points, or not applicable — one of the two."""
    if not_applicable and points is not None:
        raise invalid("标为不适用的检查项不能打分。An item not applicable has no points.", "results")
    if not not_applicable and points is None:
        raise invalid("请给每个检查项打分，或标为不适用。Give every item its points, or mark it not applicable.", "results")
    return Result(item_id, points, comment)


def score(items: Sequence[Item], results: Sequence[Result]) -> Score:
    by_id = {i.id: i for i in items}
    applicable = [(r, by_id[r.item_id]) for r in results if r.points is not None]
    possible = sum(item.max_points for _, item in applicable)
    if possible == 0:
        raise invalid("所有检查项都标为不适用，无法计分。Every item is marked not applicable: there is nothing to score.", "results")
    return Score(awarded=sum(r.points for r, _ in applicable if r.points is not None), possible=possible)


def check(items: Sequence[Item], results: Sequence[Result], findings: Sequence[Finding], *, inspected_on: date,
          today: date, submit: bool) -> Score | None:
    """Checks an inspection against its checklist; the score when it is submitted."""
    if inspected_on > today:
        raise invalid("检查日期不能晚于今天（北京时间）。An inspection cannot be dated in the future (Beijing time).", "inspectedOn")
    if inspected_on < EARLIEST:
        raise invalid("检查日期太早了，请核对。inspectedOn is too far in the past.", "inspectedOn")
    by_id = {i.id: i for i in items}
    scored: dict[UUID, Result] = {}
    for r in results:
        item = by_id.get(r.item_id)
        if item is None:
            raise invalid("有一项评分不属于这张检查表。A result names an item that is not on this checklist.", "results")
        if r.item_id in scored:
            raise invalid(f"第 {item.position} 项打了两次分。Item {item.position} is scored twice.", "results")
        if r.points is not None and not 0 <= r.points <= item.max_points:
            raise invalid(f"第 {item.position} 项：得分须在 0 到 {item.max_points} 之间。"
                          f"Item {item.position}: points must be from 0 to {item.max_points}.",
                          "results")
        if len(r.comment) > 1000:
            raise invalid(f"第 {item.position} 项：说明最多 1,000 个字符。"
                          f"Item {item.position}: the comment may have at most 1,000 characters.",
                          "results")
        scored[r.item_id] = r
    seen: set[UUID] = set()
    for f in findings:
        _check_finding(f, by_id, scored, seen)
    if not submit:
        return None
    missing = sorted(i.position for i in items if i.id not in scored)
    if missing:
        items_left = ", ".join(map(str, missing))
        raise invalid(f"第 {items_left} 项尚未打分：请给每个检查项打分（或标为不适用）。"
                      f"Items {items_left} are not scored: score every item (or mark it not applicable).", "results")
    for r in results:
        if r.points is not None and r.points < by_id[r.item_id].max_points and not r.comment.strip():
            position = by_id[r.item_id].position
            raise invalid(f"第 {position} 项扣了分：请在说明中写明扣分原因（扣分说明）。"
                          f"Item {position} lost points: say why in its comment (扣分说明).", "results")
    return score(items, results)


def _check_finding(f: Finding, by_id: dict[UUID, Item], scored: dict[UUID, Result], seen: set[UUID]) -> None:
    item = by_id.get(f.item_id)
    if item is None:
        raise invalid("有一个问题所属的检查项不在这张检查表上。A finding names an item that is not on this checklist.", "findings")
    result = scored.get(f.item_id)
    if result is None or result.points is None or result.points >= item.max_points:
        raise invalid(f"第 {item.position} 项：只有扣了分的检查项才能记录问题。"
                      f"Item {item.position}: a finding belongs to an item that lost points.",
                      "findings")
    if f.item_id in seen:
        raise invalid(f"第 {item.position} 项记录了两个问题：请合并为一条描述。"
                      f"Item {item.position} has two findings: describe them in one.",
                      "findings")
    seen.add(f.item_id)
    if not 1 <= len(f.description.strip()) <= 2000:
        raise invalid(f"第 {item.position} 项：问题描述须为 1 到 2,000 个字符。"
                      f"Item {item.position}: a finding's description must have 1 to 2,000 characters.", "findings")
    if f.kind not in FINDING_KINDS:
        raise invalid("问题只能登记为报修或报事工单。A finding becomes a repair (报修) or a request (报事).", "findings")
    if f.severity not in SEVERITIES:
        raise invalid("严重程度须为 emergency、major 或 general。severity must be emergency, major or general.", "findings")
    if f.category is not None and not _CODE.fullmatch(f.category):
        raise invalid("问题的类别须为类别编码，例如 facilities。A finding's category is a category code, e.g. facilities.", "findings")
    if f.public_area is not None and len(f.public_area) > 200:
        raise invalid("公共区域最多 200 个字符。publicArea may have at most 200 characters.", "findings")


def category_of(f: Finding, item: Item) -> str:
    return (f.category or "").strip() or DEFAULT_CATEGORY.get(item.department_kind or "", "other")


def case_description(checklist_name: str, inspected_on: date, item: Item, f: Finding) -> str:
    """What the project's team reads on the case: which inspection, which item, what was found."""
    return f"品质检查「{checklist_name}」{inspected_on:%Y-%m-%d} 第{item.position}项「{item.title}」：{f.description.strip()}"
