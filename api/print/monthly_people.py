"""月度小结 人员考核、部门考核、巡查与隐患 The people and safety sections of the printed summary and
their sheets in the workbook (docs/centre-day.md §7): the numbers come from
domain/kpi/people_summary_read.py; rates as percentages, money in yuan."""

from __future__ import annotations

from typing import Any

from domain.kpi.monthly_summary_read import Summary
from domain.kpi.people_summary_read import GRADES, ProjectOps, rate

GRADE_LABELS = {"major": "重大 Major", "significant": "较大 Significant", "general": "一般 General", "low": "低 Low"}
PERSON_HEADER = ["姓名 Name", "首问 First received", "接访 Reception", "处理 Handled", "办结 Resolved", "解决率 Resolution",
                 "按时办结率 On time", "满意率 Satisfaction", "失约 Broken promises", "返工 Rework", "回访次数 Visits made",
                 "表扬 Praise", "投诉回访员工 Staff visits", "有异议 Disputed"]
DEPARTMENT_HEADER = ["部门 Department", "人数 People", "处理 Handled", "办结 Resolved", "解决率 Resolution", "按时办结率 On time",
                     "满意率 Satisfaction", "失约 Broken promises", "返工 Rework", "表扬 Praise",
                     "投诉回访员工 Staff visits", "有异议 Disputed"]
PROJECT_HEADER = ["项目 Project", "应巡 Runs due", "已巡 Done", "漏巡 Missed", "巡查完成率 Done rate", "隐患 Hazards found",
                  "按时整改 Rectified on time", "逾期 Overdue", "户均成本（元）Cost per household", "人均服务户数 Households per head"]


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


def _num(v: float | None) -> str:
    return "—" if v is None else f"{v:,.2f}"


def _rates(r: Any) -> list[tuple[float | None, str]]:
    return [(rate(r.resolved, r.handled), "rate"), (rate(r.resolved_on_time, r.resolved), "rate"),
            (rate(r.satisfied + r.basically_satisfied, r.visited), "rate")]


def _praise(r: Any) -> list[tuple[Any, str]]:
    """表扬, and the return visits after a complaint about the person(s), with those disputed."""
    return [(r.praise, "count"), (r.staff_visits, "count"), (r.staff_visits_disputed, "count")]


def _person(r: Any) -> list[tuple[Any, str]]:
    return [(r.name or "（非用户 Not a user）", "text"), (r.first_received, "count"), (r.taken_at_reception, "count"),
            (r.handled, "count"), (r.resolved, "count"), *_rates(r), (r.broken_promises, "count"), (r.rework, "count"),
            (r.visits_done, "count"), *_praise(r)]


def _department(r: Any) -> list[tuple[Any, str]]:
    return [(r.name, "text"), (r.people, "count"), (r.handled, "count"), (r.resolved, "count"), *_rates(r),
            (r.broken_promises, "count"), (r.rework, "count"), *_praise(r)]


def _ops(o: ProjectOps) -> list[tuple[Any, str]]:
    h, c = o.hazards_total, o.costs
    return [(o.patrols.due, "count"), (o.patrols.done, "count"), (o.patrols.missed, "count"), (o.patrols.done_rate, "rate"),
            (h.found, "count"), (h.on_time, "count"), (h.overdue, "count"),
            (c.per_household_fen / 100 if c and c.per_household_fen is not None else None, "money"),
            (c.households_per_head if c else None, "ratio")]


def _projects(s: Summary) -> list[tuple[str, ProjectOps]]:
    """The company's projects with anything to report, in ranking order, then the total."""
    if s.people is None or s.project is not None:
        return []
    rows = [(f"{p.row.name}（{p.row.code}）", s.people.by_project[p.row.id]) for p in s.ranking if p.row.id in s.people.by_project]
    return [*rows, ("合计 Total", s.people.total())] if rows else []


def _text(cells: list[tuple[Any, str]]) -> list[str]:
    shown = {"count": lambda v: f"{v:,}", "rate": _pct, "money": _num, "ratio": _num, "text": str}
    return ["—" if v is None else shown[how](v) for v, how in cells]


def _mine(s: Summary) -> ProjectOps:
    assert s.people is not None
    return s.people.total()  # a project's summary reads its own project only


def people_section(s: Summary) -> dict[str, Any] | None:
    """What the page's 人员考核 and 巡查与隐患 sections print; None when there is nothing."""
    p = s.people
    if p is None:
        return None
    if s.project is None:
        projects = _projects(s)
        return {"projects": [_text([(name, "text"), *_ops(o)]) for name, o in projects]} if projects else None
    o = _mine(s)
    if not (p.people or p.departments or o.reported):
        return None
    c, h = o.costs, o.hazards
    return {
        "people": [_text(_person(r)) for r in p.people], "departments": [_text(_department(r)) for r in p.departments],
        "costs": _text([(c.headcount, "count"), (c.households, "count"), (c.cost_fen / 100, "money"),
                        (c.per_household_fen / 100 if c.per_household_fen is not None else None, "money"),
                        (c.households_per_head, "ratio")]) if c else None,
        "patrols": _text([(o.patrols.due, "count"), (o.patrols.done, "count"), (o.patrols.missed, "count"),
                          (o.patrols.done_rate, "rate")]),
        "hazards": [[GRADE_LABELS[g], *_text([(h[g].found, "count"), (h[g].on_time, "count"), (h[g].overdue, "count")])]
                    for g in GRADES if g in h]
        + [["合计 Total", *_text([(o.hazards_total.found, "count"), (o.hazards_total.on_time, "count"),
                                 (o.hazards_total.overdue, "count")])]],
    }


def people_sheets(book: Any, s: Summary, sheet_of: Any) -> None:
    """The workbook's 人员考核 and 巡查与隐患 sheets, written through the workbook's own sheet class."""
    p = s.people
    if p is None or people_section(s) is None:
        return
    if s.project is None:
        sheet = sheet_of(book, "巡查与隐患 Patrols & hazards", PROJECT_HEADER, [30, 10, 10, 10, 12, 12, 14, 10, 16, 16])
        for name, o in _projects(s):
            sheet.put(name, *_ops(o))
        return
    if p.people or p.departments:
        sheet = sheet_of(book, "人员考核 People", PERSON_HEADER, [20, *[12] * (len(PERSON_HEADER) - 1)])
        for r in p.people:
            sheet.put(*_person(r))
        sheet.put()
        sheet.put(*DEPARTMENT_HEADER)
        for r in p.departments:
            sheet.put(*_department(r))
    o = _mine(s)
    sheet = sheet_of(book, "巡查与隐患 Patrols & hazards", ["指标 Figure", "发现 Found / 值 Value", "按时整改 Rectified on time",
                                                        "逾期 Overdue"], [36, 18, 22, 14])
    sheet.put("应巡 Runs due", (o.patrols.due, "count"))
    sheet.put("已巡 Done", (o.patrols.done, "count"))
    sheet.put("漏巡 Missed", (o.patrols.missed, "count"))
    sheet.put("巡查完成率 Done rate", (o.patrols.done_rate, "rate"))
    sheet.put()
    for g in GRADES:
        h = o.hazards.get(g)
        if h is not None:
            sheet.put(f"隐患 Hazards {GRADE_LABELS[g]}", (h.found, "count"), (h.on_time, "count"), (h.overdue, "count"))
    t = o.hazards_total
    sheet.put("隐患合计 Hazards total", (t.found, "count"), (t.on_time, "count"), (t.overdue, "count"))
    if o.costs is not None:
        c = o.costs
        sheet.put()
        sheet.put("人数 Headcount", (c.headcount, "count"))
        sheet.put("户数 Households", (c.households, "count"))
        sheet.put("月成本（元）Month's cost", (c.cost_fen / 100, "money"))
        sheet.put("户均成本（元）Cost per household", (c.per_household_fen / 100 if c.per_household_fen is not None else None, "money"))
        sheet.put("人均服务户数 Households per head", (c.households_per_head, "ratio"))
