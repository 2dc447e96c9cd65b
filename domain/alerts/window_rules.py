"""The early-warning rules of DESIGN §5 that look back over a window rather than at one new case:
a case reopened again and again, a project's SLA breach rate over a week, its satisfaction rate
over a month. Pure functions of counts; the repository counts and raises."""

from __future__ import annotations

from datetime import date

from domain.alerts.rules import AlertSettings, Raised

# Rates are compared to a few decimals: 0.95 − 0.85 is 0.0999… in binary, and is ten points.
_PLACES = 9


def pct(rate: float) -> str:
    """87.5%, 90%."""
    return f"{round(rate * 100, 1):g}%"


def repeat_reopened(case_id: str, number: str, resident_id: str | None, name: str, reopenings: int,
                    s: AlertSettings) -> Raised | None:
    """A case reopened `repeat_reopenings` times: its resident is a repeat complainant. Scoped by the
    resident, as the complaint count is, so both ways of tripping the rule share one alert; a case
    with no known resident has its own."""
    if reopenings < s.repeat_reopenings:
        return None
    scope = f"resident:{resident_id}" if resident_id else f"case:{case_id}"
    who = name if resident_id else f"工单 {number}"
    return Raised("repeat_complainant", scope, "orange", f"重复投诉：{who}", f"工单 {number} 已重新处理{reopenings}次。", (case_id,))


def breach_rate(project_id: str, project: str, cases: int, breached: int, case_ids: tuple[str, ...],
                s: AlertSettings) -> Raised | None:
    """Of the cases a project received in the last `breach_days`, the share with a target past its
    due time (an L1 timer escalation); no verdict below `breach_min_cases`."""
    if cases < s.breach_min_cases or cases == 0:
        return None
    rate = round(breached / cases, _PLACES)
    if rate < round(s.breach_orange, _PLACES):
        return None
    colour = "red" if rate >= round(s.breach_red, _PLACES) else "orange"
    return Raised("sla_breach", f"project:{project_id}", colour, f"超时率：{project}",
                  f"{s.breach_days}天内受理{cases}件，{breached}件超时（{pct(rate)}）。", case_ids)


def satisfaction(project_id: str, project: str, month: date, visited: int, good: int, last_visited: int, last_good: int,
                 case_ids: tuple[str, ...], s: AlertSettings) -> Raised | None:
    """A project's satisfaction rate for a month's cohort — (satisfied + basically satisfied) /
    visited — under the target (yellow), or `satisfaction_drop` below last month's (orange); each
    month judged only from `satisfaction_min_visits` return visits."""
    if visited < s.satisfaction_min_visits or visited == 0:
        return None
    rate = good / visited
    under = round(rate, _PLACES) < round(s.satisfaction_target, _PLACES)
    last = last_good / last_visited if last_visited >= s.satisfaction_min_visits and last_visited > 0 else None
    fell = last is not None and round(last - rate, _PLACES) >= round(s.satisfaction_drop, _PLACES)
    if not (under or fell):
        return None
    detail = f"{month.year}年{month.month}月满意率{pct(rate)}（{good}/{visited}），目标{pct(s.satisfaction_target)}"
    if last is not None:
        detail += f"，上月{pct(last)}"
    return Raised("satisfaction", f"project:{project_id}:{month:%Y-%m}", "orange" if fell else "yellow",
                  f"满意度：{project} {month.year}年{month.month}月", detail + "。", case_ids)


def collection(project_id: str, project: str, month: date, bills: int, due_fen: int, by_close_fen: int, last_bills: int,
               last_due_fen: int, last_by_close_fen: int, s: AlertSettings) -> Raised | None:
    """收费率下滑 A closed month's month-end collection rate (docs/resident-services.md §6.7) under
    `collection_target` (yellow), or `collection_drop` or more below last month's (orange; twice
    that, red); each month judged only from `collection_min_bills` bills. The month-end rate, not
    the rate so far: an older month has had longer to collect, so "so far" would always seem to fall."""
    if bills < s.collection_min_bills or due_fen <= 0:
        return None
    rate = by_close_fen / due_fen
    under = round(rate, _PLACES) < round(s.collection_target, _PLACES)
    last = last_by_close_fen / last_due_fen if last_bills >= s.collection_min_bills and last_due_fen > 0 else None
    fall = round(last - rate, _PLACES) if last is not None else None
    orange = fall is not None and fall >= round(s.collection_drop, _PLACES)
    if not (under or orange):
        return None
    colour = "red" if fall is not None and fall >= round(2 * s.collection_drop, _PLACES) else "orange" if orange else "yellow"
    detail = (f"{month.year}年{month.month}月账单月末收缴率{pct(rate)}（实收 {by_close_fen / 100:,.2f} / 应收 "
              f"{due_fen / 100:,.2f} 元），目标{pct(s.collection_target)}")
    if last is not None:
        detail += f"，上月{pct(last)}"
    return Raised("collection", f"project:{project_id}:{month:%Y-%m}", colour, f"收费率下滑：{project} {month.year}年{month.month}月",
                  detail + "。", ())

