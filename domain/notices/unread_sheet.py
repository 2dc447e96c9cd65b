"""未读名单 The flats a notice reached that have not read it, as a sheet staff phone or visit from:
楼栋, 单元, 房号, 主联系人, 电话 (masked), 是否使用App. Pure: rows in, bytes out."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

import xlsxwriter

HEADERS = ("楼栋 Building", "单元 Entrance", "房号 Flat", "主联系人 Contact", "电话 Phone (masked)", "是否使用App Uses the app")


def unread_sheet(title: str, rows: Iterable[Any]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("未读 Unread")
    bold = book.add_format({"bold": True})
    sheet.write_string(0, 0, f"未读名单：{title}"[:200], bold)
    for col, name in enumerate(HEADERS):
        sheet.write_string(1, col, name, bold)
    n = 1
    for n, r in enumerate(rows, start=2):
        for col, value in enumerate((r.building, r.entrance, r.number, r.contact or "", r.phone_masked or "",
                                     "是" if r.app_user else "否")):
            sheet.write_string(n, col, str(value))
    sheet.set_column(0, 5, 16)
    book.close()
    return out.getvalue()
