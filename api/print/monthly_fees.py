"""月度小结 收费 The fee section of the printed summary and its sheet in the workbook
(docs/resident-services.md §6.7): the numbers come from domain/kpi/fee_summary_read.py; money is
shown in yuan, rates as percentages, each against last month and the year to date."""

from __future__ import annotations

from typing import Any

from domain.kpi.fee_summary_read import FeeCounts
from domain.kpi.monthly_summary_read import Summary

# (label, FeeCounts attribute, how it reads)
FEE_ROWS = (
    ("应收 Billed", "billed_fen", "money"),
    ("减免 Waived", "waived_fen", "money"),
    ("应收（减免后）Due", "due_fen", "money"),
    ("实收 Collected", "collected_fen", "money"),
    ("收缴率 Collection rate", "rate", "rate"),
    ("当月收缴率 Collected by month end", "close_rate", "rate"),
    ("户数收缴率 Households paid", "households_rate", "rate"),
)


def _value(c: FeeCounts, attr: str, how: str) -> float | None:
    v = getattr(c, attr)
    return v / 100 if how == "money" and v is not None else v


def _show(v: float | None, how: str) -> str:
    if v is None:
        return "—"
    return f"{v:,.2f}" if how == "money" else f"{v * 100:.1f}%"


def _change(now: float | None, before: float | None, how: str) -> str:
    if now is None or before is None:
        return "—"
    d = now - before
    if abs(d) < 1e-9:
        return "持平 Same"
    arrow = "↑" if d > 0 else "↓"
    return f"{arrow}{abs(d):,.2f}" if how == "money" else f"{arrow}{abs(d) * 100:.1f}个百分点"


def fee_section(s: Summary) -> dict[str, Any] | None:
    """What the page's 收费 section prints; None when the month has nothing to report."""
    f = s.fees
    if f is None or not f.billed:
        return None
    rows = [[label, _show(_value(f.month, a, how), how), _show(_value(f.previous, a, how), how),
             _change(_value(f.month, a, how), _value(f.previous, a, how), how), _show(_value(f.year, a, how), how)]
            for label, a, how in FEE_ROWS]
    arrears = [[label, _show(fen / 100, "money")] for label, fen in f.arrears]
    arrears.append(["合计 Total", _show(sum(fen for _, fen in f.arrears) / 100, "money")])
    ranking = [[str(n), f"{p.row.name}（{p.row.code}）", _show(c.rate, "rate"), _show(c.close_rate, "rate"),
                _show(c.due_fen / 100, "money"), _show(c.collected_fen / 100, "money")]
               for n, (p, c) in enumerate(_ranked(s), 1)]
    return {"rows": rows, "arrears": arrears, "ranking": ranking}


def _ranked(s: Summary) -> list[tuple[Any, FeeCounts]]:
    """The company's projects that billed this month, best rate first."""
    if s.fees is None or s.project is not None:
        return []
    pairs = [(p, s.fees.by_project[p.row.id]) for p in s.ranking if p.row.id in s.fees.by_project]
    return sorted(pairs, key=lambda pc: (-(pc[1].rate or 0.0), pc[0].row.code))


def fee_sheet(book: Any, s: Summary, sheet_of: Any) -> None:
    """The workbook's 收费 sheet, written through the workbook's own sheet class."""
    f = s.fees
    if f is None or not f.billed:
        return
    sheet = sheet_of(book, "收费 Fees", ["指标 Figure", "本月 This month", "上月 Last month", "环比 Change", "本年累计 Year to date"],
                     [36, 16, 16, 16, 18])
    styles = {"money": "money", "rate": "rate"}
    for label, a, how in FEE_ROWS:
        now, before, year = (_value(c, a, how) for c in (f.month, f.previous, f.year))
        delta = now - before if now is not None and before is not None else None
        sheet.put(label, (now, styles[how]), (before, styles[how]), (delta, f"change_{styles[how]}"), (year, styles[how]))
    sheet.put()
    sheet.put("欠费账龄 Arrears by age (now)", "金额（元）Yuan")
    for label, fen in f.arrears:
        sheet.put(label, (fen / 100, "money"))
    ranked = _ranked(s)
    if ranked:
        sheet.put()
        sheet.put("排名 Rank", "项目 Project", "收缴率 Rate", "当月收缴率 By month end", "应收 Due", "实收 Collected")
        for n, (p, c) in enumerate(ranked, 1):
            sheet.put((n, "count"), f"{p.row.name}（{p.row.code}）", (c.rate, "rate"), (c.close_rate, "rate"),
                      (c.due_fen / 100, "money"), (c.collected_fen / 100, "money"))
