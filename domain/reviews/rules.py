"""案例研判 and 内部通报 as pure rules: what a review must say, what a bulletin must say before it
can be published, which state changes are allowed, and the snapshot of figures a published
bulletin keeps. No database here; the repository applies these in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any
from uuid import UUID

from domain.errors import DomainError, ErrorCode, invalid
from domain.kpi.figures import Figures

VERDICT_LABELS = {"exemplary": "典型 Exemplary", "cautionary": "警示 Cautionary"}
ROOT_CAUSE_LABELS = {
    "process": "流程制度 Process",
    "people": "人员 People",
    "resources": "资源配置 Resources",
    "communication": "沟通协调 Communication",
    "outside_party": "外部单位 Outside party",
    "facility": "设施设备 Facility",
    "developer_legacy": "开发遗留 Developer legacy",
    "other": "其他 Other",
}
BULLETIN_KIND_LABELS = {"praise": "表扬 Praise", "criticism": "批评 Criticism", "notice": "通报 Notice"}
STATE_LABELS = {"draft": "草稿 Draft", "published": "已发布 Published", "withdrawn": "已撤回 Withdrawn"}
FIGURE_NAMES = tuple(f.name for f in fields(Figures))
MAX_TAGS, MAX_TAG = 10, 20
MAX_CASES = 20


def _zh(state: str) -> str:
    """The Chinese half of a state's label, for a Chinese sentence."""
    return STATE_LABELS.get(state, state).split(" ")[0]


def _text(value: str | None, field: str, limit: int, *, required: bool = True) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise invalid(f"请填写 {field}。{field} must not be empty.", field)
    if len(cleaned) > limit:
        raise invalid(f"请将 {field} 控制在 {limit} 个字符以内。{field} must be at most {limit} characters.", field)
    return cleaned


@dataclass(frozen=True)
class Review:
    verdict: str
    root_cause_category: str
    root_cause: str
    lessons: str
    corrective_actions: str = ""
    tags: tuple[str, ...] = ()
    shared: bool = False

    def check(self) -> Review:
        """The review as it will be stored (trimmed, tags without repeats), or a coded error."""
        if self.verdict not in VERDICT_LABELS:
            raise invalid("研判结论须为典型（exemplary）或警示（cautionary）。verdict must be exemplary or cautionary.", "verdict")
        if self.root_cause_category not in ROOT_CAUSE_LABELS:
            raise invalid("请从列出的原因中选择根因类别。rootCauseCategory is not one of the listed causes.", "rootCauseCategory")
        actions = _text(self.corrective_actions, "correctiveActions", 2000, required=False)
        # A cautionary case is reviewed so that it does not happen again: say what changes.
        if self.verdict == "cautionary" and not actions:
            raise invalid("警示案例须填写整改措施。A cautionary review must state its corrective actions (整改措施).",
                          "correctiveActions")
        tags = tuple(dict.fromkeys(t.strip() for t in self.tags if t and t.strip()))
        if len(tags) > MAX_TAGS or any(len(t) > MAX_TAG for t in tags):
            raise invalid(f"最多 {MAX_TAGS} 个标签，每个不超过 {MAX_TAG} 个字符。"
                          f"At most {MAX_TAGS} tags of at most {MAX_TAG} characters each.",
                          "tags")
        return Review(self.verdict, self.root_cause_category, _text(self.root_cause, "rootCause", 2000),
                      _text(self.lessons, "lessons", 2000), actions, tags, bool(self.shared))


def check_version(current: int | None, expected: int | None) -> None:
    """An optional guard against revising a review someone else has just revised."""
    if expected is not None and expected != (current or 0):
        raise DomainError(ErrorCode.CONFLICT, f"该案例研判已是第 {current or 0} 版，不是第 {expected} 版：请重新加载。"
                                              f"The review is at version {current or 0}, not {expected}: reload it.", "expectedVersion")


@dataclass(frozen=True)
class BulletinDraft:
    kind: str
    title: str
    body: str
    month: date
    department_id: UUID | None = None
    case_ids: tuple[UUID, ...] = ()
    cited_figures: tuple[str, ...] = ()

    def check(self, today: date) -> BulletinDraft:
        """The draft as it will be stored, or a coded error. `today` is the Beijing date."""
        if self.kind not in BULLETIN_KIND_LABELS:
            raise invalid("通报类型须为表扬（praise）、批评（criticism）或通报（notice）。"
                          "kind must be praise, criticism or notice.", "kind")
        month = self.month.replace(day=1)
        if not date(2000, 1, 1) <= month <= today.replace(day=1):
            raise invalid("月份须为 2000 年以来、已经开始的月份。month must be a month that has begun, from 2000 on.", "month")
        cases = tuple(dict.fromkeys(self.case_ids))
        if len(cases) > MAX_CASES:
            raise invalid(f"最多关联 {MAX_CASES} 个工单。At most {MAX_CASES} linked cases.", "caseIds")
        cited = tuple(dict.fromkeys(self.cited_figures))
        unknown = [f for f in cited if f not in FIGURE_NAMES]
        if unknown:
            named = ", ".join(unknown)[:200]
            raise invalid(f"未知的指标：{named}。Unknown figures: {named}.", "citedFigures")
        if self.kind == "criticism":
            # 通报批评 names who is criticised and why, in numbers or cases — never a vague reproach.
            if self.department_id is None:
                raise invalid("通报批评须写明被批评的部门。A criticism must name the department it criticises.", "departmentId")
            if not cases and not cited:
                raise invalid("通报批评须引用指标或关联工单作为依据。"
                              "A criticism must cite a figure or link a case as its reason.", "caseIds")
        return BulletinDraft(self.kind, _text(self.title, "title", 100), _text(self.body, "body", 5000), month,
                             self.department_id, cases, cited)


def check_revisable(state: str) -> None:
    if state != "draft":
        raise DomainError(ErrorCode.INVALID_STATE, f"该通报当前为“{_zh(state)}”，不能修改：请撤回后重新起草。"
                                                    f"A bulletin that is {state} cannot be edited; withdraw it and draft anew.")


def check_publishable(state: str) -> None:
    if state != "draft":
        raise DomainError(ErrorCode.INVALID_STATE, f"该通报当前为“{_zh(state)}”，不能发布。A bulletin that is {state} cannot be published.")


def check_withdrawal(state: str, reason: str | None) -> str:
    if state != "published":
        raise DomainError(ErrorCode.INVALID_STATE, f"该通报当前为“{_zh(state)}”，不能撤回：只有已发布的通报可以撤回。"
                                                    f"A bulletin that is {state} cannot be withdrawn; only a published one can.")
    return _text(reason, "reason", 500)


def freeze_figures(month: date, counts: dict[str, int], households: int | None, cases: list[dict[str, Any]],
                   taken_at: datetime) -> dict[str, Any]:
    """What a published bulletin keeps: the month's counts, the figures computed from them and
    the linked cases as they stood, so that it says later what it said when published."""
    return {"month": month.isoformat(), "households": households, "counts": dict(counts),
            "figures": vars(Figures.of(counts, households)), "cases": cases, "taken_at": taken_at.isoformat()}


def figures_of(snapshot: dict[str, Any]) -> Figures:
    """The stored figures back as Figures; a figure added later reads as missing (None or 0)."""
    stored = snapshot.get("figures") or {}
    values: dict[str, Any] = {name: stored.get(name, 0 if name in ("received", "broken_promises", "escalations") else None)
                              for name in FIGURE_NAMES}
    return Figures(**values)
