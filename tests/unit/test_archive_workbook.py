"""Reading archive workbooks (docs/archive.md §6): real .xlsx files built here with openpyxl; each
bad file gives a report (sheet, row, column, the problem in Chinese) and no rows."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from domain.archive import values
from domain.archive.sheets import SHEETS
from domain.archive.template import template
from domain.archive.workbook import MAX_BYTES, Parsed, read_workbook

ID_STEM = "11010519491231002"
ID = ID_STEM + values.id_check_digit(ID_STEM)  # 11010519491231002X
RESIDENT_HEADERS = ["楼栋名称*", "单元", "房号*", "姓名*", "身份*", "手机号", "证件号码", "入住日期"]


def xlsx(sheets: dict[str, list[list[Any]]], merge: dict[str, str] | None = None) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
        if merge and name in merge:
            ws.merge_cells(merge[name])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def residents(*rows: list[Any]) -> bytes:
    return xlsx({"住户": [RESIDENT_HEADERS, *rows]})


def codes(parsed: Parsed) -> list[tuple[str, int, str, str]]:
    assert parsed.rows == {}, "a file with problems gives no rows"
    assert parsed.report.total == len(parsed.report.problems)
    return [(p.sheet, p.row, p.column, p.code) for p in parsed.report.problems]


def only(parsed: Parsed) -> tuple[str, int, str, str, str]:
    [problem] = parsed.report.problems
    assert parsed.rows == {}
    return problem.sheet, problem.row, problem.column, problem.code, problem.problem


GOOD = ["3号楼", "2", "1502", "张三", "业主", "138 0013 8000", ID, "2024/5/1"]


def test_a_good_resident_row_parses_to_canonical_values() -> None:
    parsed = read_workbook(residents(GOOD, ["3号楼", "", 803, "李四", "租户", "+86 13900139000", None, date(2023, 1, 2)]))
    assert parsed.report.problems == []
    first, second = parsed.rows["residents"]
    assert first.number == 2 and second.number == 3
    assert first.values["phone"] == "13800138000" and first.values["id_number"] == ID
    assert first.values["role"] == "owner" and first.values["moved_in_on"] == date(2024, 5, 1)
    assert first.values["building"] == "3号楼" and first.values["entrance"] == "2" and first.values["number"] == "1502"
    assert second.values["number"] == "803" and second.values["entrance"] is None  # a flat number typed as a number is text
    assert second.values["role"] == "tenant" and second.values["moved_in_on"] == date(2023, 1, 2)


def test_a_good_workbook_of_every_sheet() -> None:
    data = xlsx({
        "楼栋": [["楼栋名称*", "总层数*"], ["3号楼", 18]],
        "房屋": [["楼栋名称", "单元", "房号", "楼层", "建筑面积(㎡)", "用途", "空置"], ["3号楼", "2", "1502", 15, 89.5, "住宅", "否"]],
        "车位": [["停车区", "车位号", "产权", "持有人手机号", "租期至"], ["地下B1", "A-012", "租赁", 13800138000, "2026年12月31日"]],
        "车辆": [["车牌号", "车辆类型", "车主手机号", "停车区", "车位号"], ["粤B·D12345", "新能源", "13800138000", "地下B1", "A-012"]],
        "宠物": [["宠物名", "种类", "品种", "最近疫苗日期", "主人手机号"], ["旺财", "犬", "柯基", "2025-03-01", "13800138000"]],
        "员工": [["姓名", "部门", "职务", "手机号"], ["王五", "客服部", "客服", "13700137000"]],
        "说明": [["不是档案表，不读"]],
    })
    parsed = read_workbook(data)
    assert parsed.report.problems == []
    rows = {key: [r.values for r in found] for key, found in parsed.rows.items()}
    assert rows["buildings"] == [{"building": "3号楼", "floors": 18, "project_code": None}]
    assert rows["units"][0] == {"building": "3号楼", "entrance": "2", "number": "1502", "floor": 15,
                                     "area_m2": Decimal("89.5"), "use": "residential", "vacant": False, "project_code": None}
    assert rows["parking"][0]["tenure"] == "leased" and rows["parking"][0]["holder_phone"] == "13800138000"
    assert rows["parking"][0]["lease_until"] == date(2026, 12, 31)
    assert rows["vehicles"][0]["plate"] == "粤BD12345" and rows["vehicles"][0]["kind"] == "new_energy"
    assert rows["pets"][0]["species"] == "dog" and rows["pets"][0]["vaccinated_on"] == date(2025, 3, 1)
    assert rows["staff"][0] == {"name": "王五", "department": "客服部", "title": "客服", "phone": "13700137000", "project_code": None}


def test_each_column_of_a_sheet_has_its_own_field() -> None:
    # 车位 holds a space number and a flat number: one key for both would let one overwrite the other.
    for sheet in SHEETS:
        fields = [c.field for c in sheet.columns]
        assert len(fields) == len(set(fields)), sheet.name
    parsed = read_workbook(xlsx({"车位": [["停车区", "车位号", "楼栋名称", "房号"], ["地下B1", "A-012", "3号楼", "1502"]]}))
    assert parsed.report.problems == []
    assert {k: parsed.rows["parking"][0].values[k] for k in ("number", "unit_number")} == {"number": "A-012", "unit_number": "1502"}


def test_the_template_has_every_sheet_and_a_filled_one_parses_clean() -> None:
    book = openpyxl.load_workbook(io.BytesIO(template()))
    assert book.sheetnames == ["说明", *(s.name for s in SHEETS)]
    ws = book["住户"]
    assert [c.value for c in ws[1]][:5] == ["楼栋名称*", "单元", "房号*", "姓名*", "身份*"]
    assert ws["G1"].comment is not None and "phone" in ws["G1"].comment.text  # English beside the Chinese header
    headers = [c.value.rstrip("*") for c in ws[1]]
    filled = {"楼栋名称": "1号楼", "房号": "101", "姓名": "赵六", "身份": "家属", "手机号": "13600136000", "证件号码": ID}
    ws.append([filled.get(h) for h in headers])
    book["楼栋"].append(["1号楼", 6])
    out = io.BytesIO()
    book.save(out)
    parsed = read_workbook(out.getvalue())
    assert parsed.report.problems == []
    assert [r.values["name"] for r in parsed.rows["residents"]] == ["赵六"]
    assert parsed.rows["buildings"][0].values["floors"] == 6 and parsed.rows["units"] == []


def test_headers_missing_unknown_and_twice_stop_the_sheet() -> None:
    data = xlsx({"住户": [["楼栋名称", "房号", "姓名", "姓名", "电话"], ["3号楼", "1502", "张三", "张三", "138"]]})
    assert codes(read_workbook(data)) == [
        ("住户", 1, "D 姓名", "DUPLICATE_HEADER"),
        ("住户", 1, "E 电话", "UNKNOWN_HEADER"),
        ("住户", 1, "", "MISSING_HEADER"),  # 身份
    ]
    problem = read_workbook(data).report.problems[2]
    assert problem.problem == "缺少必填列“身份”" and problem.english == "required column missing: 身份"


def test_merged_cells_are_found_although_read_only_mode_does_not_load_them() -> None:
    data = xlsx({"住户": [RESIDENT_HEADERS, GOOD, ["3号楼", "2", "1503", "张四", "业主"], ["3号楼", "2", "1504", "张五", "业主"]]},
                merge={"住户": "A2:A4"})
    found = read_workbook(data)
    assert ("住户", 2, "A2:A4", "MERGED_CELLS", "合并单元格 A2:A4，请取消合并并逐行填写") in [
        (p.sheet, p.row, p.column, p.code, p.problem) for p in found.report.problems]
    assert found.rows == {}


def test_a_formula_cell_is_refused_not_read_empty() -> None:
    assert only(read_workbook(residents(["3号楼", "2", "=1500+2", "张三", "业主"]))) == (
        "住户", 2, "C 房号", "FORMULA", "公式单元格，请粘贴为数值")


@pytest.mark.parametrize(("phone", "code"), [("1380013800", "BAD_PHONE"), ("23800138000", "BAD_PHONE"), ("电话", "BAD_PHONE")])
def test_bad_phone_numbers(phone: str, code: str) -> None:
    sheet, row, column, found, problem = only(read_workbook(residents(GOOD[:5] + [phone])))
    assert (sheet, row, column, found, problem) == ("住户", 2, "F 手机号", code, "手机号格式不正确")


def test_the_report_masks_a_phone_it_shows() -> None:
    [problem] = read_workbook(residents(GOOD[:5] + ["138001380001"])).report.problems
    assert problem.value == "138*****0001"


@pytest.mark.parametrize("number", [ID_STEM + "0", "110105194913310021", "110105491231002"])  # checksum, 13th month, 15 digits
def test_bad_id_numbers(number: str) -> None:
    [problem] = read_workbook(residents(GOOD[:6] + [number])).report.problems
    assert (problem.row, problem.column, problem.code) == (2, "G 证件号码", "BAD_ID_NUMBER")
    assert problem.problem.startswith("证件号码不正确：") and "*" in problem.value
    if len(number) == 15:
        assert problem.problem == "证件号码不正确：请填写 18 位身份证号"


def test_other_id_kinds_take_letters_and_digits() -> None:
    data = xlsx({"住户": [RESIDENT_HEADERS + ["证件类型"], GOOD[:6] + ["E12345678", None, "护照"], GOOD[:6] + ["E1", None, "护照"]]})
    [problem] = read_workbook(data).report.problems
    assert (problem.row, problem.code, problem.problem) == (3, "BAD_ID_NUMBER", "证件号码不正确：应为 5–30 位字母或数字")
    data = xlsx({"住户": [RESIDENT_HEADERS + ["证件类型"], GOOD[:6] + ["e12345678", None, "护照"]]})
    assert read_workbook(data).rows["residents"][0].values["id_number"] == "E12345678"


def test_masked_values_from_an_export_pass_for_the_importer_to_match() -> None:
    [row] = read_workbook(residents(GOOD[:5] + ["138****8000", "1101**********002X"])).rows["residents"]
    assert row.values["phone"] == "138****8000" and row.values["id_number"] == "1101**********002X"


def test_an_id_number_stored_as_a_number_lost_its_last_digits() -> None:
    assert only(read_workbook(residents(GOOD[:6] + [110105194912310021])))[3:] == (
        "ID_AS_NUMBER", "证件号被存成了数字，末几位已丢失；请把该列设为文本后重新填写")


def test_a_staff_phone_must_be_a_mobile() -> None:
    data = xlsx({"员工": [["姓名", "部门", "手机号"], ["王五", "客服部", "010-12345678"]]})
    assert only(read_workbook(data))[:4] == ("员工", 2, "C 手机号", "BAD_MOBILE")


def test_duplicate_natural_keys_within_the_file() -> None:
    data = xlsx({"房屋": [["楼栋名称", "单元", "房号", "楼层"], ["3号楼", "2", "1502", 15], ["3号楼", "1", "1502", 15],
                        ["3号楼", "2", "1502", 15]]})
    sheet, row, column, code, problem = only(read_workbook(data))
    assert (sheet, row, column, code, problem) == ("房屋", 4, "A 楼栋名称", "DUPLICATE_ROW", "与第 2 行重复")


def test_a_person_in_two_flats_is_no_duplicate() -> None:
    parsed = read_workbook(residents(GOOD, ["3号楼", "2", "803"] + GOOD[3:]))
    assert parsed.report.problems == [] and len(parsed.rows["residents"]) == 2


def test_required_choices_dates_numbers_and_the_project() -> None:
    data = xlsx({"住户": [RESIDENT_HEADERS + ["迁出日期", "项目编码"],
                        ["3号楼", "2", "1502", "", "房东", None, None, "2024-13-01", "2024-01-01", "XH"]],
                 "房屋": [["楼栋名称", "房号", "楼层"], ["3号楼", "1502", "十五"]]})
    parsed = read_workbook(data, project_code="GD")
    assert codes(parsed) == [
        ("房屋", 2, "C 楼层", "BAD_NUMBER"),
        ("住户", 2, "E 身份", "BAD_CHOICE"),
        ("住户", 2, "H 入住日期", "BAD_DATE"),
        ("住户", 2, "D 姓名", "REQUIRED"),
        ("住户", 2, "J 项目编码", "OTHER_PROJECT"),
    ]
    problems = {p.code: p.problem for p in parsed.report.problems}
    assert problems["BAD_CHOICE"] == "应为：业主/租户/家属"
    assert problems["OTHER_PROJECT"] == "该行属于项目 XH，本次导入的是 GD"


def test_moving_out_before_moving_in() -> None:
    data = xlsx({"住户": [RESIDENT_HEADERS + ["迁出日期"], GOOD + ["2024-04-30"]]})
    assert only(read_workbook(data))[2:4] == ("I 迁出日期", "MOVED_OUT_BEFORE_IN")


def test_random_bytes_are_not_a_workbook() -> None:
    assert only(read_workbook(os.urandom(5000))) == ("", 0, "", "NOT_A_WORKBOOK", "文件不是 Excel 工作簿（.xlsx）")


def test_an_xls_file_is_asked_to_be_saved_as_xlsx() -> None:
    assert only(read_workbook(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000)))[3] == "NOT_XLSX"


def test_a_zip_without_a_workbook() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "hello")
    assert only(read_workbook(out.getvalue()))[3] == "NOT_A_WORKBOOK"


def test_a_zip_with_a_broken_workbook() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("xl/workbook.xml", "<not xml")
    assert only(read_workbook(out.getvalue()))[3] == "NOT_A_WORKBOOK"


def test_a_zip_bomb_is_refused_before_it_is_expanded() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", bytes(50 * 1024 * 1024))
    assert only(read_workbook(out.getvalue()))[3:] == ("ZIP_BOMB", "文件解压后过大，疑为异常文件")


def test_a_workbook_without_archive_sheets() -> None:
    sheet, row, column, code, problem = only(read_workbook(xlsx({"Sheet1": [["a", "b"]]})))
    assert code == "NO_SHEETS" and problem == "没有可导入的工作表（应为：楼栋、房屋、住户、车位、车辆、宠物、员工）"


def test_an_empty_archive_sheet_lacks_its_headers() -> None:
    parsed = read_workbook(xlsx({"楼栋": []}))
    assert codes(parsed) == [("楼栋", 1, "", "MISSING_HEADER"), ("楼栋", 1, "", "MISSING_HEADER")]


def _padded(data: bytes, size: int) -> bytes:
    """The workbook with an incompressible picture inside, so the file is `size` bytes or so."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in source.infolist():
            z.writestr(item, source.read(item))
        z.writestr("xl/media/image1.png", os.urandom(size), compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


def test_a_10_mb_workbook_is_read_within_the_limits() -> None:
    data = _padded(residents(GOOD), 10 * 1024 * 1024 + 1)
    assert 10 * 1024 * 1024 < len(data) < MAX_BYTES
    parsed = read_workbook(data)
    assert parsed.report.problems == [] and len(parsed.rows["residents"]) == 1
    # the limit is the caller's: an endpoint that takes 10 MB refuses it by size alone
    assert only(read_workbook(data, max_bytes=10 * 1024 * 1024))[3:] == ("TOO_LARGE", "文件过大（10.0 MB），上限 10.0 MB")


def test_a_file_over_the_limit_is_refused_by_its_size_before_it_is_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import domain.archive.workbook as workbook

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed a file over the limit")

    monkeypatch.setattr(workbook, "load_workbook", never)
    monkeypatch.setattr(workbook.zipfile, "ZipFile", never)
    path = tmp_path / "archive.xlsx"
    with path.open("wb") as f:
        f.truncate(21 * 1024 * 1024)  # sparse: 21 MB without writing them
    assert only(read_workbook(path))[3:] == ("TOO_LARGE", "文件过大（21.0 MB），上限 20.0 MB")
    assert only(read_workbook(b"PK\x03\x04" + bytes(MAX_BYTES)))[3] == "TOO_LARGE"


def test_a_path_reads_like_bytes(tmp_path: Path) -> None:
    path = tmp_path / "档案.xlsx"
    path.write_bytes(residents(GOOD))
    assert [r.values["name"] for r in read_workbook(path).rows["residents"]] == ["张三"]


@pytest.mark.parametrize("chunk", [5, 64, 1 << 20])
def test_merged_ranges_are_found_whichever_chunk_a_tag_falls_in(chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    import domain.archive.workbook as workbook

    monkeypatch.setattr(workbook, "_CHUNK", chunk)
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "楼栋"
    for row in (["楼栋名称", "总层数"], ["1号楼", 6], ["2号楼", 6], ["3号楼", 6]):
        ws.append(row)
    for ref in ("A2:A3", "B3:B4", "A10:C12"):
        ws.merge_cells(ref)
    out = io.BytesIO()
    book.save(out)
    merged = sorted((p.row, p.column) for p in read_workbook(out.getvalue()).report.problems if p.code == "MERGED_CELLS")
    assert merged == [(2, "A2:A3"), (3, "B3:B4"), (10, "A10:C12")]


def test_data_under_no_header_is_reported_once_per_column() -> None:
    data = residents(GOOD + [None, "多出来的"], GOOD[:2] + ["1503"] + GOOD[3:] + [None, "也多"])
    assert codes(read_workbook(data)) == [("住户", 2, "J", "UNKNOWN_HEADER")]


def test_too_many_rows_stops_the_sheet(monkeypatch: pytest.MonkeyPatch) -> None:
    import domain.archive.workbook as workbook

    monkeypatch.setattr(workbook, "MAX_ROWS", 2)
    data = xlsx({"楼栋": [["楼栋名称", "总层数"], ["1号楼", 6], [None, None], ["2号楼", 6], ["3号楼", 6]]})
    assert only(read_workbook(data)) == ("楼栋", 5, "", "TOO_MANY_ROWS", "超过 2 行，请分批导入")


def test_the_report_keeps_a_thousand_problems_and_stops_reading_at_ten_thousand() -> None:
    data = xlsx({"楼栋": [["楼栋名称", "总层数"], *([f"{i}号楼", "六"] for i in range(10_050))]})
    parsed = read_workbook(data)
    assert parsed.rows == {} and parsed.report.total == 10_000 and len(parsed.report.problems) == 1_000
    assert parsed.report.problems[-1].row == 1_001


def test_entity_expansion_in_the_workbook_xml_is_refused() -> None:
    laughs = ('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
              '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>&b;</sheets></workbook>')
    source = zipfile.ZipFile(io.BytesIO(residents(GOOD)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in source.infolist():
            z.writestr(item, laughs if item.filename == "xl/workbook.xml" else source.read(item))
    assert only(read_workbook(out.getvalue()))[3] == "NOT_A_WORKBOOK"


def test_a_damaged_sheet_is_reported_not_raised() -> None:
    source = zipfile.ZipFile(io.BytesIO(residents(GOOD, GOOD[:2] + ["1503"] + GOOD[3:])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in source.infolist():
            data = source.read(item)
            z.writestr(item, data[: data.index(b"<row r=\"3\"") + 12] if item.filename.endswith("sheet1.xml") else data)
    assert codes(read_workbook(out.getvalue()))[-1] == ("住户", 0, "", "NOT_A_WORKBOOK")


def test_a_flat_number_excel_turned_into_a_date() -> None:
    assert only(read_workbook(residents(["3号楼", date(2026, 3, 2), "1502", "张三", "业主"])))[2:4] == ("B 单元", "DATE_AS_TEXT")
