"""The guard on kept import problems: any phone- or ID-like run of digits is masked, whatever column
it came from; the rest of the text is left as it was."""

from __future__ import annotations

from domain.archive.problem_mask import mask_numbers, masked_problem


def test_phone_and_id_numbers_anywhere_are_masked():
    assert mask_numbers('="13800138000"') == '="138****8000"'
    assert mask_numbers("该行属于项目 13900139000，本次导入的是 P1") == "该行属于项目 139****9000，本次导入的是 P1"
    assert mask_numbers("138 0013 8000") == "138****8000"
    assert mask_numbers("138-0013-8000") == "138****8000"
    assert mask_numbers("11010519491231002X") == "1101**********002X"
    assert mask_numbers("110105194912310") == "1101*******2310"
    assert mask_numbers("1234567") == "***4567"


def test_what_is_not_a_number_of_a_person_stays():
    for text in ("2024-05-01", "abc", "138****8000", "1101**********0021", "18", "88.5", "3-1-1202", "P1", "123456",
                 "应为数字"):
        assert mask_numbers(text) == text


def test_a_problem_keeps_its_place_and_code():
    p = {"sheet": "住户", "row": 2, "column": "G 手机号", "value": '="13800138000"', "code": "FORMULA",
         "problem": "公式单元格", "english": "a formula"}
    assert masked_problem(p) == {**p, "value": '="138****8000"'}
