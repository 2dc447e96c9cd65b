"""The opening-balance workbook (期初欠费, docs/resident-services.md §6.8): its one sheet in the
archive's terms — headers, what each column holds, the natural key — its staging table, and the
guide its template carries. The archive's reader, staging and report read it as they read 房屋."""

from __future__ import annotations

from typing import Any

from domain.archive.report import Report
from domain.archive.sheets import PROJECT, Column, Sheet
from domain.archive.workbook import Row

OPENING = Sheet("fee_opening", "期初欠费", "opening balances", (
    Column("building", "楼栋名称", "building", required=True),
    Column("entrance", "单元", "entrance"),
    Column("number", "房号", "flat number", required=True),
    Column("item", "收费项目", "charge item (code or name)", required=True),
    Column("period", "所属期间", "period (2026-01)", "period", required=True),
    Column("amount", "金额(元)", "amount (元)", "amount", required=True),
    Column("due_on", "应缴日期", "due on", "date"),
    Column("note", "备注", "note"),
    PROJECT,
), ("building", "entrance", "number", "item", "period"))
SHEETS = (OPENING,)

STAGING: dict[str, tuple[tuple[str, str], ...]] = {
    "fee_opening": (("building", "text"), ("entrance", "text"), ("number", "text"), ("item", "text"),
                    ("period", "date"), ("amount_fen", "bigint"), ("due_on", "date"), ("note", "text"),
                    ("unit_id", "uuid"), ("charge_item_id", "uuid"), ("bill_id", "uuid")),
}
_NOTE = 200  # bills.note's CHECK

GUIDE = (
    ("“期初欠费”表：从原系统迁入时，每行一笔未缴的账单（一户、一个收费项目、一个月）。",
     "期初欠费: when a project comes over from another system, one row per unpaid bill (a flat, an item, a month)."),
    ("带 * 的列必填；列的顺序可以调整；不要合并单元格，不要使用公式。",
     "Starred columns are required; columns may be reordered; no merged cells, no formulas."),
    ("收费项目填编码（如 WYF）或名称；所属期间写作 2026-01、2026年1月 或该月的任一日期。",
     "收费项目: the item's code (WYF) or name; 所属期间: 2026-01, 2026年1月 or any day of the month."),
    ("金额以元为单位，最多两位小数；应缴日期不填时按收费项目的缴费日。",
     "金额(元) in 元 with at most two decimals; 应缴日期 defaults to the item's due day of the month."),
    ("再次导入同一户、同一项目、同一月份会更新该账单；已有收款或减免的账单不能再修改。",
     "Importing the same flat, item and month again updates its bill, unless the bill has payments or adjustments."),
    ("项目编码可不填；填写时必须是本次导入的项目。", "项目编码 may be left empty; when filled it must be the project imported into."),
)
ABOUT = {"fee_opening": ("期初欠费：按 楼栋名称 + 单元 + 房号 + 收费项目 + 所属期间 匹配账单。",
                         "Opening balances, matched to a bill by flat, item and month.")}


def record(row: Row, report: Report, where: dict[str, str]) -> tuple[Any, ...] | None:
    """The staging record of a read row, or None (and the problem) when it exceeds what a bill holds."""
    s = row.values.get
    note = s("note")
    if isinstance(note, str) and len(note) > _NOTE:
        report.add("TOO_LONG", sheet=OPENING.name, row=row.number, column=where.get("note", ""), value=note[:50],
                   limit=_NOTE)
        return None
    return (row.number, False, s("building"), s("entrance") or "", s("number"), s("item"), s("period"), s("amount"),
            s("due_on"), note or "", None, None, None)
