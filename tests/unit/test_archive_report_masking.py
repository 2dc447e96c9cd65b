"""A phone or ID number never leaves the workbook's reading clear: whatever column it was typed in,
as a formula or as a value too short to be valid, the report shows its masked form and its place."""

from __future__ import annotations

from domain.archive.cells import shown
from domain.archive.report import Report
from domain.archive.sheets import RESIDENTS
from domain.archive.workbook import read_workbook
from tests.archive_books import workbook

HEADER = [c.header + ("*" if c.required else "") for c in RESIDENTS.columns]


def row(**cells: object) -> list[object]:
    r: list[object] = ["1号楼", "1", "101", "张三", "业主"] + [None] * (len(HEADER) - 5)
    for name, value in cells.items():
        r[HEADER.index(name)] = value
    return r


def test_a_phone_outside_its_column_is_masked_in_the_report():
    book = workbook({"住户": [HEADER, row(手机号='="13800138000"'), row(项目编码="13900139000"), row(入住日期="13700137000"),
                             row(手机号="1234567")]})
    shown_ = str(read_workbook(book, project_code="P1").report.problems)
    for clear in ("13800138000", "13900139000", "13700137000", "1234567"):
        assert clear not in shown_, clear


def test_the_masked_problems_still_say_where_and_what():
    book = workbook({"住户": [HEADER, row(手机号='="13800138000"'), row(项目编码="13900139000"), row(入住日期="13700137000"),
                             row(手机号="1234567"), row(证件类型="居民身份证", 证件号码="12345678")]})
    problems = read_workbook(book, project_code="P1").report.problems
    seen = [(p.row, p.column.split()[1], p.code, p.value) for p in problems]
    assert seen == [(2, "手机号", "FORMULA", '="138****8000"'), (3, "项目编码", "OTHER_PROJECT", "139****9000"),
                    (4, "入住日期", "BAD_DATE", "137****7000"), (5, "手机号", "BAD_PHONE", "***4567"),
                    (6, "证件号码", "BAD_ID_NUMBER", "****5678")]
    assert problems[1].problem == "该行属于项目 139****9000，本次导入的是 P1"
    assert "139****9000" in problems[1].english and "13900139000" not in problems[1].english


def test_a_cell_of_a_number_column_is_shown_masked_whatever_its_length():
    phone, id_number = RESIDENTS.column("手机号"), RESIDENTS.column("证件号码")
    assert phone is not None and id_number is not None
    assert shown(phone, "13800138000") == "138****8000"
    assert shown(phone, "1380013800") == "******3800"
    assert shown(phone, "1234567") == "***4567"
    assert shown(phone, "12345") == "12345"  # no phone has five digits: the person sees what they typed
    assert shown(id_number, "11010519491231002X") == "1101**********002X"
    assert shown(id_number, "12345678") == "****5678"
    assert shown(id_number, "E1234") == "*1234"  # other kinds of ID have as few as five characters


def test_every_problem_is_masked_when_it_is_made():
    report = Report()
    report.add("TOO_LONG", sheet="住户", row=2, column="M 备注", value="请联系 138-0013-8000 或 11010519491231002X", limit=500)
    report.add("DUPLICATE_ROW", sheet="住户", row=9, column="A 楼栋名称", first=8)
    assert [p.value for p in report.problems] == ["请联系 138****8000 或 1101**********002X", ""]
    assert report.problems[1].problem == "与第 8 行重复"
