"""月度小结 as a printable A4 page with inline SVG charts: the numbers come from
domain/kpi/monthly_summary_read.py, the page is templates/monthly_summary.html, escaped by the
template engine (project and category names are the company's own input). Nothing is fetched
from outside. Also the labels the page and the workbook share."""

from __future__ import annotations

from typing import Any

from api.graphql.types.alert import COLOUR_LABELS
from api.print.charts import BLUE, GREEN, GREY, bars, columns
from api.print.monthly_fees import fee_section
from api.print.monthly_people import DEPARTMENT_HEADER, PERSON_HEADER, PROJECT_HEADER, people_section
from api.print.templating import render as render_template
from domain.cases.states import KIND_LABELS
from domain.kpi.monthly_summary_read import Summary

LEVEL_LABELS = {"escalations_l1": "一级 L1 客服主管", "escalations_l2": "二级 L2 项目经理", "escalations_l3": "三级 L3 总部"}
# (label, Figures attribute, how it reads): the rows of the summary's table of figures.
FIGURES = (
    ("受理量 Received", "received", "count"),
    ("响应率 Response rate", "response_rate", "rate"),
    ("解决率 Resolution rate", "resolution_rate", "rate"),
    ("满意率 Satisfaction rate", "satisfaction_rate", "rate"),
    ("首次解决率 First-contact resolution", "first_contact_rate", "rate"),
    ("回访率 Return-visit rate", "return_visit_rate", "rate"),
    ("按时办结率 On-time resolution", "on_time_rate", "rate"),
    ("平均处理时长（小时）Average handling (hours)", "average_handling_hours", "hours"),
    ("千户投诉率 Complaints per 1,000 households", "complaints_per_1000", "ratio"),
    ("失约次数 Broken promises", "broken_promises", "count"),
    ("升级次数 Escalations", "escalations", "count"),
    # 话务 Inbound calls from the telephony integrations (docs/centre-day.md §8).
    ("来电量 Calls offered", "calls", "count"),
    ("接通率 Answer rate", "answer_rate", "rate"),
    ("三声接听率 Answered within three rings", "three_ring_rate", "rate"),
)
THREE_RATES = FIGURES[1:4]  # 三率


def pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


def number(v: float | None, digits: int = 1) -> str:
    return "—" if v is None else f"{v:,.{digits}f}"


def show(v: float | None, how: str) -> str:
    if how == "rate":
        return pct(v)
    return number(v, 0) if how == "count" else number(v, 2 if how == "ratio" else 1)


def change(now: float | None, before: float | None, how: str) -> str:
    """环比 in words a report uses: up or down by so much, or the same."""
    if now is None or before is None:
        return "—"
    d = now - before
    if abs(d) < 1e-9:
        return "持平 Same"
    arrow = "↑" if d > 0 else "↓"
    if how == "rate":
        return f"{arrow}{abs(d) * 100:.1f}个百分点"
    return f"{arrow}{abs(d):,.0f}" if how == "count" else f"{arrow}{abs(d):,.2f}"


def subject(s: Summary) -> str:
    return f"{s.project.name}（{s.project.code}）" if s.project is not None else "全公司 Company"


def _evaluation(s: Summary) -> dict[str, Any]:
    """The evaluation section: a project's tiles, or the company's ranking at both ends."""
    if s.project is not None:
        c = s.scored
        tiles = [("得分 Score", number(c.score))]
        if s.headquarters:
            tiles += [("标准分 Standard score", number(c.standard_score)),
                      ("排名 Rank", f"{c.rank} / {s.ranked}" if c.rank is not None else "—"),
                      ("趋势 Trend", change(c.trend, 0.0, "score"))]
        if c.inspection_score is not None:
            tiles.append(("品质检查 Inspection", number(c.inspection_score)))
        if c.survey_score is not None:
            tiles.append(("满意度调查 Survey", number(c.survey_score)))
        return {"tiles": tiles, "ranked": s.ranked, "projects": 0, "mean": "", "ranking_chart": None, "groups": []}
    scored = [p for p in s.ranking if p.score is not None]
    mean = sum(p.score for p in scored) / len(scored) if scored else None
    shown = s.top + s.bottom
    chart = bars("标准分 Standard scores", [(f"{p.rank}. {p.row.name}", p.standard_score) for p in shown],
                 fmt=lambda v: f"{v:.1f}", baseline=50) if shown else None
    groups = [(title, [[str(p.rank), f"{p.row.name}（{p.row.code}）", number(p.score), number(p.standard_score),
                        "—" if p.trend is None else f"{p.trend:+.1f}", str(p.figures.received)] for p in group])
              for title, group in (("前五名 Top 5", s.top), ("后五名 Bottom 5", s.bottom)) if group]
    return {"tiles": None, "ranked": s.ranked, "projects": len(s.ranking), "mean": number(mean), "ranking_chart": chart,
            "groups": groups}


def render(s: Summary) -> str:
    f, b = s.figures, s.previous
    period = f"{s.month:%Y年%m月}"
    received = sum(c.received for c in s.by_category) or 1
    three = columns("三率 本月与上月 The three rates, this month and last", [label.split(" ")[0] for label, _, _ in THREE_RATES],
                    [("上月 Last month", GREY, [getattr(b, a) for _, a, _ in THREE_RATES]),
                     ("本月 This month", BLUE, [getattr(f, a) for _, a, _ in THREE_RATES])],
                    fmt=lambda v: f"{v * 100:.0f}%", top=1, width=420, height=200, values_on_top=True)
    daily = columns("每日受理 Received per day", [str(d.day) for d, _, _ in s.daily],
                    [("受理 Received", BLUE, [r for _, r, _ in s.daily]), ("已解决 Resolved", GREEN, [v for _, _, v in s.daily])])
    top_categories = s.by_category[:12]
    category_chart = bars("分类受理 Received by category", [(c.name, c.received) for c in top_categories]) if top_categories else None
    return render_template(
        "monthly_summary.html",
        title=f"月度小结 {period} {subject(s)}", subject=subject(s), org=s.org_name, period=period,
        generated=f"{s.generated_at:%Y-%m-%d %H:%M}", complete=s.complete, headquarters=s.headquarters,
        figures=[[label, show(getattr(f, a), how), show(getattr(b, a), how), change(getattr(f, a), getattr(b, a), how)]
                 for label, a, how in FIGURES],
        three_rates=three, **_evaluation(s), daily=daily,
        kinds=[[KIND_LABELS.get(k, k), str(n), pct(n / received)] for k, n in s.by_kind] or [["无 None", "0", "—"]],
        category_chart=category_chart,
        categories=[[c.name, str(c.received), str(c.resolved), str(c.dissatisfied)] for c in s.by_category]
        or [["无 None", "0", "0", "0"]],
        escalations=[[LEVEL_LABELS[level], str(n), str(m), change(n, m, "count")] for level, n, m in s.escalations],
        alerts=[[COLOUR_LABELS[colour], str(n), str(m)] for colour, n, m in s.alerts],
        broken=f.broken_promises, broken_before=b.broken_promises, fees=fee_section(s),
        people=people_section(s), person_header=PERSON_HEADER, department_header=DEPARTMENT_HEADER, project_header=PROJECT_HEADER,
    )
