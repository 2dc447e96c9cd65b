"""The import's report as a workbook (docs/archive.md §6.3 "Report"): a 问题 sheet, one problem a
row, as the CLI's `--report` writes it and the report download serves it. Values are already
masked in the report; nothing here reveals more."""

from __future__ import annotations

import io
from collections.abc import Sequence

import xlsxwriter

from domain.archive.report import Problem

_HEADERS = (("工作表 Sheet", 10), ("行 Row", 8), ("列 Column", 16), ("内容 Value", 24), ("问题 Problem", 50),
            ("代码 Code", 20), ("Problem (English)", 50))


def problems_workbook(problems: Sequence[Problem], total: int) -> bytes:
    """`total` counts every problem; past the kept ones a last line says how many more there were."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                     "strings_to_urls": False})
    bold = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
    ws = book.add_worksheet("问题")
    ws.freeze_panes(1, 0)
    for col, (header, width) in enumerate(_HEADERS):
        ws.write(0, col, header, bold)
        ws.set_column(col, col, width)
    for row, p in enumerate(problems, start=1):
        ws.write_row(row, 0, (p.sheet, p.row or "", p.column, p.value, p.problem, p.code, p.english))
    if total > len(problems):
        ws.write(len(problems) + 1, 4, f"另有 {total - len(problems)} 个问题未列出。{total - len(problems)} more not listed.")
    book.close()
    return out.getvalue()
