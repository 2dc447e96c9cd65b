"""Writing archive workbooks (docs/archive.md §6.1-6.2): the import template and each list's export
share one sheet layout — the headers of `sheets.py` (required ones starred), English in each
header's comment, header row bold and frozen, phone, ID and other text columns formatted as text
so Excel keeps every digit, a pick-list on enumerated columns — so a file exported, edited and
imported again reads back by the same headers. Pure: rows (mappings by column field, stored
values) in, a file out. XlsxWriter in constant-memory mode: each row is flushed to a temporary
file as the next begins, so a 100,000-row sheet never sits in memory."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import IO, Any

import xlsxwriter

from domain.archive.sheets import SHEETS, Column, Sheet

_LAST_ROW = 1_048_575  # pick-lists reach the bottom of the sheet: one element whatever the length
_TEXT_KINDS = ("phone", "mobile", "id_number", "text", "plate")
_YES, _NO = "是", "否"

GUIDE = (
    ("每个工作表一类档案，可只填其中几张；表名不要改，“说明”表不会被导入。",
     "One sheet per kind; fill any of them; keep the sheet names. This sheet is not imported."),
    ("带 * 的列必填；列的顺序可以调整；不要合并单元格，不要使用公式。",
     "Starred columns are required; columns may be reordered; no merged cells, no formulas."),
    ("手机号、证件号码请按文本填写（本模板已设为文本格式）；日期写作 2024-05-01。",
     "Phone and ID numbers as text (these columns already are); dates as 2024-05-01."),
    ("导出的手机号、证件号码是掩码（如 138****1234）：已有记录的掩码表示“保留档案中的号码”；新记录须填写完整号码。",
     "Exported phone and ID numbers are masked (138****1234): on a record already on file a mask keeps the "
     "number on file; a new record needs the full number."),
    ("导入只新增和修改，不会删除：文件里没有的记录保持不变。",
     "An import only adds and changes: a record missing from the file is left as it is."),
    ("住户迁出请填写“迁出日期”；删除住户个人信息另有流程，不经导入。",
     "To move a resident out, fill 迁出日期; erasing a person's data is done elsewhere, never by an import."),
    ("项目编码可不填；填写时必须是本次导入的项目。", "项目编码 may be left empty; when filled it must be the project imported into."),
)
# What each sheet holds and how a row finds the record it updates (its natural key).
ABOUT = {
    "buildings": ("楼栋：按“楼栋名称”匹配。", "Buildings, matched by name."),
    "units": ("房屋：按 楼栋名称 + 单元 + 房号 匹配；楼栋须已在档案中或在“楼栋”表里。",
              "Flats, matched by building, entrance and number; the building is on file or on the 楼栋 sheet."),
    "residents": ("住户：每行是一个人在一套房屋的入住；同一人住两套房写两行（姓名、手机号相同）。人按 姓名 + 手机号、"
                  "或证件号码匹配。导出只列当前在住的住户。",
                  "Residents: one row per person per flat (a person in two flats is two rows with the same name and "
                  "phone); a person is matched by name and phone, or ID number. Exports list current stays only."),
    "parking": ("车位：按 停车区 + 车位号 匹配；持有人按手机号找住户。",
                "Parking spaces, matched by area and number; the holder by phone."),
    "vehicles": ("车辆：按车牌号匹配；车主按手机号找住户。", "Vehicles, matched by plate; the owner by phone."),
    "pets": ("宠物：按 主人手机号 + 宠物名 匹配。", "Pets, matched by the owner's phone and the pet's name."),
    "staff": ("员工：按手机号匹配；部门须已存在。导出只列在职员工。",
              "Staff, matched by mobile; the department must exist. Exports list active staff."),
}


class SheetWriter:
    """One sheet: its header row, then rows appended in order."""

    def __init__(self, book: ArchiveBook, sheet: Sheet, project_code: str | None) -> None:
        self.sheet = sheet
        self.rows = 0
        self._project_code = project_code
        self._ws = ws = book.add_worksheet(sheet.name)
        self._date = book.formats["date"]
        ws.freeze_panes(1, 0)
        for index, column in enumerate(sheet.columns):
            ws.write_string(0, index, header(column), book.formats["required" if column.required else "header"])
            note = column.english + ("; required 必填" if column.required else "")
            if column.choices:
                note += "\n" + " / ".join(label for label, _ in column.choices)
            ws.write_comment(0, index, note)
            width = max(10, 2 * len(column.header) + 4)
            if column.kind == "date":
                ws.set_column(index, index, width, book.formats["date"])
            elif column.kind in _TEXT_KINDS:
                ws.set_column(index, index, max(width, 22 if column.kind == "id_number" else 0), book.formats["text"])
            else:
                ws.set_column(index, index, width)
            if column.choices:
                ws.data_validation(1, index, _LAST_ROW, index, {"validate": "list", "source": [label for label, _ in column.choices]})
        self._labels = [dict((value, label) for label, value in column.choices) for column in sheet.columns]

    def write(self, rows: Iterable[Mapping[str, Any]]) -> int:
        """Appends `rows` (stored values by column field: `owner`, True, a date); answers how many."""
        ws, columns, labels, project_code = self._ws, self.sheet.columns, self._labels, self._project_code
        written = 0
        for row in rows:
            line = self.rows + 1
            for index, column in enumerate(columns):
                value = project_code if column.field == "project_code" else row.get(column.field)
                if value is None or value == "":
                    continue
                if column.kind == "choice" or column.kind == "bool":
                    ws.write_string(line, index, _label(value, labels[index]))
                elif column.kind == "date":
                    ws.write_datetime(line, index, value, self._date)
                elif column.kind in ("int", "decimal") and isinstance(value, int | float | Decimal):
                    ws.write_number(line, index, float(value) if isinstance(value, Decimal) else value)
                else:  # text: never read as a number, a formula or a link (names are people's input)
                    ws.write_string(line, index, str(value))
            self.rows += 1
            written += 1
        return written


class ArchiveBook:
    """A workbook of archive sheets written to `out` (a path or a binary file)."""

    def __init__(self, out: str | IO[bytes], *, tmpdir: str | None = None) -> None:
        options: dict[str, Any] = {"constant_memory": True, "in_memory": False, "strings_to_numbers": False,
                                   "strings_to_formulas": False, "strings_to_urls": False}
        if tmpdir is not None:
            options["tmpdir"] = tmpdir
        self._book = xlsxwriter.Workbook(out, options)
        self.formats = {
            "header": self._book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1}),
            "required": self._book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1}),
            "text": self._book.add_format({"num_format": "@"}),
            "date": self._book.add_format({"num_format": "yyyy-mm-dd"}),
            "wrap": self._book.add_format({"text_wrap": True, "valign": "top"}),
        }

    def add_worksheet(self, name: str) -> Any:
        return self._book.add_worksheet(name)

    def sheet(self, sheet: Sheet, project_code: str | None = None) -> SheetWriter:
        """A sheet of `sheet`'s kind; `project_code` fills its 项目编码 column on every row."""
        return SheetWriter(self, sheet, project_code)

    def guide(self, sheets: tuple[Sheet, ...] = SHEETS, rules: tuple[tuple[str, str], ...] = GUIDE,
              about: dict[str, tuple[str, str]] = ABOUT) -> None:
        """The 说明 sheet: the rules, then what each of `sheets` holds and how its rows match (another
        context's workbook passes its own rules and sheets)."""
        ws = self._book.add_worksheet("说明")
        ws.set_column(0, 0, 60)
        ws.set_column(1, 1, 90)
        ws.write_string(0, 0, "说明", self.formats["header"])
        ws.write_string(0, 1, "Guide", self.formats["header"])
        line = 1
        for zh, en in rules:
            ws.write_string(line, 0, zh, self.formats["wrap"])
            ws.write_string(line, 1, en, self.formats["wrap"])
            line += 1
        line += 1
        ws.write_string(line, 0, "各工作表 Sheets", self.formats["header"])
        ws.write_string(line, 1, "", self.formats["header"])
        for sheet in sheets:
            zh, en = about[sheet.key]
            line += 1
            starred = "、".join(header(c) for c in sheet.columns)
            ws.write_string(line, 0, f"{zh}\n列：{starred}", self.formats["wrap"])
            ws.write_string(line, 1, en, self.formats["wrap"])

    def close(self) -> None:
        self._book.close()


def header(column: Column) -> str:
    """As row 1 shows it: the Chinese header, starred when required (the reader ignores the star)."""
    return column.header + ("*" if column.required else "")


def _label(value: Any, labels: dict[str, str]) -> str:
    if isinstance(value, bool):
        return _YES if value else _NO
    return labels.get(str(value), str(value))
