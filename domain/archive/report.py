"""The import's row-by-row report: which sheet, row and column, and what is wrong, in Chinese with
English beside. The first KEEP problems are kept with the total; reading stops at STOP_AT."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.archive.problem_mask import mask_numbers

KEEP = 1_000
STOP_AT = 10_000

# code → (中文, English); {…} are filled from the problem's arguments.
MESSAGES: dict[str, tuple[str, str]] = {
    "TOO_LARGE": ("文件过大（{size}），上限 {limit}", "file too large ({size}, limit {limit})"),
    "NOT_A_WORKBOOK": ("文件不是 Excel 工作簿（.xlsx）", "not an Excel workbook (.xlsx)"),
    "NOT_XLSX": ("旧版 .xls 或已加密的文件，请另存为 .xlsx", "an old .xls or encrypted file: save it as .xlsx"),
    "ZIP_BOMB": ("文件解压后过大，疑为异常文件", "the file expands too much when unzipped"),
    "NO_SHEETS": ("没有可导入的工作表（应为：{names}）", "no sheet to import (expected: {names})"),
    "MERGED_CELLS": ("合并单元格 {ref}，请取消合并并逐行填写", "merged cells {ref}: unmerge them and fill each row"),
    "MISSING_HEADER": ("缺少必填列“{header}”", "required column missing: {header}"),
    "UNKNOWN_HEADER": ("无法识别的列“{header}”", "unknown column: {header}"),
    "DUPLICATE_HEADER": ("列“{header}”出现了两次", "column appears twice: {header}"),
    "TOO_MANY_ROWS": ("超过 {limit} 行，请分批导入", "more than {limit} rows: import in parts"),
    "TOO_LONG": ("内容超过 {limit} 个字", "longer than {limit} characters"),
    "FORMULA": ("公式单元格，请粘贴为数值", "a formula: paste it as a value"),
    "REQUIRED": ("必填项为空", "required value missing"),
    "BAD_PHONE": ("手机号格式不正确", "not a mainland mobile or landline number"),
    "BAD_MOBILE": ("请填写 11 位手机号", "not a mainland mobile number"),
    "BAD_ID_NUMBER": ("证件号码不正确：{why}", "bad ID number: {why_en}"),
    "ID_AS_NUMBER": ("证件号被存成了数字，末几位已丢失；请把该列设为文本后重新填写",
                     "the ID number was stored as a number and lost its last digits: format the column as text and type it again"),
    "DATE_AS_TEXT": ("Excel 把该单元格当成了日期，请把该列设为文本后重新填写",
                     "Excel read this cell as a date: format the column as text and type it again"),
    "BAD_DATE": ("日期格式不正确（例：2024-05-01）", "not a date (e.g. 2024-05-01)"),
    "BAD_NUMBER": ("应为数字", "not a number"),
    "BAD_CHOICE": ("应为：{choices}", "must be one of: {choices}"),
    "BAD_PLATE": ("车牌号格式不正确", "not a licence plate"),
    "OTHER_PROJECT": ("该行属于项目 {found}，本次导入的是 {target}", "this row is for project {found}, the import is for {target}"),
    "MOVED_OUT_BEFORE_IN": ("迁出日期早于入住日期", "moved out before moving in"),
    "DUPLICATE_ROW": ("与第 {first} 行重复", "same as row {first}"),
    # The set checks over the staged rows and the archive (§6.3 step 5).
    "OUT_OF_RANGE": ("应在 {low} 到 {high} 之间", "must be between {low} and {high}"),
    "UNKNOWN_BUILDING": ("楼栋“{name}”不存在（档案和本文件中都没有）", "no building {name}, on file or in this workbook"),
    "UNKNOWN_UNIT": ("房屋“{name}”不存在（档案和本文件中都没有）", "no flat {name}, on file or in this workbook"),
    "UNKNOWN_OWNER": ("没有使用该手机号的住户", "no resident has this phone number"),
    "AMBIGUOUS_OWNER": ("该手机号对应多位住户，请在住户表中区分", "several residents have this phone number: tell them apart on 住户"),
    "UNKNOWN_DEPARTMENT": ("本项目没有部门“{name}”", "the project has no department {name}"),
    "UNKNOWN_SPACE": ("车位“{name}”不存在（档案和本文件中都没有）", "no parking space {name}, on file or in this workbook"),
    "ID_NUMBER_TAKEN": ("该证件号码已属于另一位住户", "this ID number belongs to another resident"),
    "MASKED_VALUE": ("新记录须填写完整号码", "a new record needs the whole number, not a masked one"),
    "AMBIGUOUS_RESIDENT": ("该房屋有多位同名住户，请填写手机号或证件号码",
                           "several occupants of this flat have this name: give a phone or ID number"),
    "IMPORT_RUNNING": ("该项目正在导入，请稍后再试", "an import of this project is running"),
    # The opening-balance sheet (docs/resident-services.md §6.8).
    "BAD_AMOUNT": ("金额应大于 0，最多两位小数", "an amount in 元 above 0 with at most two decimals"),
    "BAD_PERIOD": ("所属期间应为月份（例：2026-01 或 2026年1月）", "not a month (e.g. 2026-01)"),
    "UNKNOWN_ITEM": ("本项目没有收费项目“{name}”（按编码或名称）", "the project has no charge item {name} (by code or name)"),
    "AMBIGUOUS_ITEM": ("有多个收费项目名为“{name}”，请填写编码", "several charge items are named {name}: give its code"),
    "BILL_PAID": ("该账单已有收款或减免，不能再由导入修改", "the bill has payments or adjustments: an import cannot change it"),
    "BILL_EXISTS": ("该房屋该月已有出账生成的账单", "the flat already has a generated bill of this item for the month"),
}


@dataclass(frozen=True)
class Problem:
    sheet: str  # the sheet's name ('' for the file)
    row: int  # as Excel shows it, 1-based; 0 for the file or a whole sheet
    column: str  # "C 手机号"; '' when the problem is not one cell's
    value: str  # masked where it could be a phone or ID number (`problem_mask`), as are the messages
    code: str
    problem: str  # Chinese
    english: str


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    total: int = 0

    def add(self, code: str, *, sheet: str = "", row: int = 0, column: str = "", value: str = "", **args: object) -> None:
        self.total += 1
        if len(self.problems) < KEEP:
            zh, en = MESSAGES[code]
            # Masked here, where every problem is made: a number reaches a problem by any column and argument.
            self.problems.append(Problem(sheet, row, column, mask_numbers(value), code, mask_numbers(zh.format(**args)),
                                         mask_numbers(en.format(**args))))

    @property
    def full(self) -> bool:
        """Enough problems to stop reading: the file needs fixing anyway."""
        return self.total >= STOP_AT

    @property
    def clean(self) -> bool:
        return self.total == 0
