"""The archive's import template: one sheet per kind, Chinese headers (required ones starred) with
English in each header's comment, phone and ID columns as text so Excel keeps every digit, and a
list to pick from on enumerated columns. Written with XlsxWriter, which the exports already use."""

from __future__ import annotations

import io

import xlsxwriter

from domain.archive.sheets import SHEETS, Sheet

_ROWS = 5_000  # how far down the pick-lists and text formats reach
_TEXT_KINDS = ("phone", "mobile", "id_number", "text", "plate")

_GUIDE = (
    ("说明 Guide", ""),
    ("每个工作表一类档案，可只填其中几张；表名不要改。", "One sheet per kind; fill any of them; keep the sheet names."),
    ("带 * 的列必填；列的顺序可以调整；不要合并单元格，不要使用公式。",
     "Starred columns are required; columns may be reordered; no merged cells, no formulas."),
    ("手机号、证件号码请按文本填写（本模板已设为文本格式）。", "Phone and ID numbers as text (this template's columns already are)."),
    ("日期写作 2024-05-01；导入只新增和修改，不会删除档案；迁出请填写迁出日期。",
     "Dates as 2024-05-01; an import only adds and changes; to move someone out, fill 迁出日期."),
)


def template(sheets: tuple[Sheet, ...] = SHEETS) -> bytes:
    """The template workbook as bytes."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                     "strings_to_urls": False})
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    required = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
    as_text = book.add_format({"num_format": "@"})
    as_date = book.add_format({"num_format": "yyyy-mm-dd"})
    guide = book.add_worksheet("说明")
    guide.set_column(0, 1, 70)
    for row, (zh, en) in enumerate(_GUIDE):
        guide.write(row, 0, zh, header if row == 0 else None)
        guide.write(row, 1, en)
    for sheet in sheets:
        ws = book.add_worksheet(sheet.name)
        ws.freeze_panes(1, 0)
        for index, column in enumerate(sheet.columns):
            ws.write(0, index, column.header + ("*" if column.required else ""), required if column.required else header)
            note = column.english + ("; required 必填" if column.required else "")
            if column.choices:
                note += "\n" + " / ".join(label for label, _ in column.choices)
            ws.write_comment(0, index, note)
            width = max(10, 2 * len(column.header) + 4)
            if column.kind == "date":
                ws.set_column(index, index, width, as_date)
            elif column.kind in _TEXT_KINDS:
                ws.set_column(index, index, max(width, 20 if column.kind == "id_number" else width), as_text)
            else:
                ws.set_column(index, index, width)
            if column.choices:
                ws.data_validation(1, index, _ROWS, index, {"validate": "list", "source": [label for label, _ in column.choices]})
    book.close()
    return out.getvalue()
