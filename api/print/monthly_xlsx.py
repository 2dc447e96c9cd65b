"""月度小结 as a workbook: the same numbers as the printed page, as numbers (rates with percentage
formats), one sheet per section, frozen headers and a native chart of the days. Text is always
written as text, never read as a formula: project names are the company's own input."""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter

from api.graphql.types.alert import COLOUR_LABELS
from api.print.monthly_fees import fee_sheet
from api.print.monthly_people import people_sheets
from api.print.monthly_summary import FIGURES, LEVEL_LABELS, subject
from domain.cases.states import KIND_LABELS
from domain.kpi.monthly_summary_read import Summary

_FORMATS = {"rate": "0.0%", "count": "#,##0", "hours": "0.0", "ratio": "0.00", "score": "0.0", "money": "#,##0.00"}
_CHANGE = {"rate": '+0.0%;-0.0%;0.0%', "count": "+#,##0;-#,##0;0", "hours": "+0.0;-0.0;0.0", "ratio": "+0.00;-0.00;0.00",
           "money": "+#,##0.00;-#,##0.00;0.00"}


class _Sheet:
    """One worksheet written row by row, each cell as the type it is."""

    def __init__(self, book: Any, name: str, header: list[str], widths: list[int], styles: dict[str, Any]) -> None:
        self.ws, self.styles, self.row = book.add_worksheet(name), styles, 1
        for col, (title, width) in enumerate(zip(header, widths, strict=True)):
            self.ws.write_string(0, col, title, styles["header"])
            self.ws.set_column(col, col, width)
        self.ws.freeze_panes(1, 0)

    def put(self, *cells: tuple[Any, str] | str | None) -> None:
        for col, cell in enumerate(cells):
            value, style = cell if isinstance(cell, tuple) else (cell, "text")
            if value is None:
                self.ws.write_blank(self.row, col, None)
            elif isinstance(value, str):
                self.ws.write_string(self.row, col, value)
            elif hasattr(value, "year"):
                self.ws.write_datetime(self.row, col, value, self.styles["date"])
            else:
                self.ws.write_number(self.row, col, value, self.styles.get(style))
        self.row += 1


def workbook(s: Summary) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                     "strings_to_numbers": False})
    styles = {"header": book.add_format({"bold": True, "bg_color": "#EEF2F7", "border": 1}),
              "date": book.add_format({"num_format": "yyyy-mm-dd"}),
              **{k: book.add_format({"num_format": v}) for k, v in _FORMATS.items()},
              **{f"change_{k}": book.add_format({"num_format": v}) for k, v in _CHANGE.items()}}
    _summary(book, s, styles)
    if s.project is None:
        _ranking(book, s, styles)
    _categories(book, s, styles)
    _daily(book, s, styles)
    sheet_of = lambda b, name, header, widths: _Sheet(b, name, header, widths, styles)  # noqa: E731
    fee_sheet(book, s, sheet_of)
    people_sheets(book, s, sheet_of)
    book.close()
    return out.getvalue()


def _summary(book: Any, s: Summary, styles: dict[str, Any]) -> None:
    sheet = _Sheet(book, "概览 Summary", ["指标 Figure", "本月 This month", "上月 Last month", "环比 Change"], [42, 16, 16, 16], styles)
    sheet.put("月度小结 Monthly summary", subject(s))
    sheet.put("企业 Company", s.org_name)
    sheet.put("月份 Month", f"{s.month:%Y-%m}" + ("" if s.complete else "（本月尚未结束 in progress）"))
    sheet.put("生成于 Generated", f"{s.generated_at:%Y-%m-%d %H:%M}")
    sheet.put()
    for label, attr, how in FIGURES:
        now, before = getattr(s.figures, attr), getattr(s.previous, attr)
        delta = now - before if now is not None and before is not None else None
        sheet.put(label, (now, how), (before, how), (delta, f"change_{how}"))
    sheet.put()
    for level, now, before in s.escalations:
        sheet.put(f"升级 Escalations {LEVEL_LABELS[level]}", (now, "count"), (before, "count"), (now - before, "change_count"))
    sheet.put()
    sheet.put("预警 Alerts", "当前未关闭 Open now", "本月新增 Opened this month")
    for colour, open_now, opened in s.alerts:
        sheet.put(COLOUR_LABELS[colour], (open_now, "count"), (opened, "count"))
    if s.scored is not None:
        sheet.put()
        c = s.scored
        sheet.put("得分 Score", (c.score, "score"))
        if s.headquarters:
            sheet.put("标准分 Standard score", (c.standard_score, "score"))
            sheet.put("排名 Rank", (c.rank, "count"), f"/ {s.ranked}")
            sheet.put("趋势 Trend", (c.trend, "change_hours"))
        if c.inspection_score is not None:
            sheet.put("品质检查 Inspection", (c.inspection_score, "score"))
        if c.survey_score is not None:
            sheet.put("满意度调查 Survey", (c.survey_score, "score"))


def _ranking(book: Any, s: Summary, styles: dict[str, Any]) -> None:
    header = ["排名 Rank", "编号 Code", "项目 Project", "得分 Score", "标准分 Standard", "趋势 Trend", "受理 Received",
              "响应率 Response", "解决率 Resolution", "满意率 Satisfaction", "失约 Broken promises", "升级 Escalations",
              "品质检查 Inspection", "来电量 Calls", "接通率 Answer rate", "三声接听率 Three rings"]
    sheet = _Sheet(book, "项目排名 Ranking", header, [9, 12, 30, 10, 12, 10, 12, 12, 12, 12, 14, 12, 14, 12, 12, 14], styles)
    for p in s.ranking:
        f = p.figures
        sheet.put((p.rank, "count"), p.row.code, p.row.name, (p.score, "score"), (p.standard_score, "score"), (p.trend, "change_hours"),
                  (f.received, "count"), (f.response_rate, "rate"), (f.resolution_rate, "rate"), (f.satisfaction_rate, "rate"),
                  (f.broken_promises, "count"), (f.escalations, "count"), (p.inspection_score, "score"), (f.calls, "count"),
                  (f.answer_rate, "rate"), (f.three_ring_rate, "rate"))


def _categories(book: Any, s: Summary, styles: dict[str, Any]) -> None:
    sheet = _Sheet(book, "分类 By category", ["类别 Category", "编码 Code", "受理 Received", "已解决 Resolved", "不满意 Dissatisfied"],
                   [24, 18, 12, 12, 14], styles)
    for c in s.by_category:
        sheet.put(c.name, c.code, (c.received, "count"), (c.resolved, "count"), (c.dissatisfied, "count"))
    sheet.put()
    sheet.put("类型 Kind", "编码 Code", "受理 Received")
    for kind, n in s.by_kind:
        sheet.put(KIND_LABELS.get(kind, kind), kind, (n, "count"))


def _daily(book: Any, s: Summary, styles: dict[str, Any]) -> None:
    sheet = _Sheet(book, "每日 Daily", ["日期 Day", "受理 Received", "已解决 Resolved (of that day's cases)"], [14, 14, 30], styles)
    for day, received, resolved in s.daily:
        sheet.put(day, (received, "count"), (resolved, "count"))
    last = len(s.daily)
    chart = book.add_chart({"type": "column"})
    for col, name in ((1, "受理 Received"), (2, "已解决 Resolved")):
        chart.add_series({"name": name, "categories": ["每日 Daily", 1, 0, last, 0], "values": ["每日 Daily", 1, col, last, col]})
    chart.set_title({"name": "每日受理 Received per day"})
    chart.set_x_axis({"date_axis": False, "num_format": "d"})
    chart.set_size({"width": 760, "height": 320})
    sheet.ws.insert_chart("E2", chart)
