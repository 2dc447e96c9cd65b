"""The import's value rules (domain/archive/checks.py): phones canonicalised as they are hashed,
ID cards by their GB 11643 check digit, plates, dates."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from domain.archive import checks


@pytest.mark.parametrize(("typed", "canonical"), [
    ("13800138000", "13800138000"), ("+86 138-0013-8000", "13800138000"), ("0086 13800138000", "13800138000"),
    ("8613800138000", "13800138000"), ("010-12345678", "01012345678"), ("0755 1234567", "07551234567"),
    ("010-12345678转801", "01012345678"), ("(021) 87654321", "02187654321"),
])
def test_phones_are_canonical(typed: str, canonical: str) -> None:
    assert checks.phone(typed) == canonical


@pytest.mark.parametrize("typed", ["1380013800", "138001380001", "12800138000", "12345678", "电话", ""])
def test_not_phones(typed: str) -> None:
    assert checks.phone(typed) is None


def test_a_mobile_is_not_a_landline() -> None:
    assert checks.mobile("+8613800138000") == "13800138000" and checks.mobile("010-12345678") is None


def test_id_cards_by_check_digit_and_birth_date() -> None:
    stem = "11010519491231002"
    assert checks.id_check_digit(stem) == "X"
    assert checks.id_card(stem + "x") == stem + "X"
    assert checks.id_card(stem + "1") is None
    bad_day = "11010519490231002"  # 31 February
    assert checks.id_card(bad_day + checks.id_check_digit(bad_day)) is None
    assert checks.id_card("110105491231002") is None  # 15 digits
    assert checks.other_id("e 1234-5678") == "E12345678" and checks.other_id("E12") is None


@pytest.mark.parametrize(("typed", "plate"), [("京A12345", "京A12345"), ("粤B·D12345", "粤BD12345"), ("沪a 1234学", "沪A1234学")])
def test_plates(typed: str, plate: str) -> None:
    assert checks.plate(typed) == plate


@pytest.mark.parametrize("typed", ["A12345", "京12345", "京A123", "京A1234567"])
def test_not_plates(typed: str) -> None:
    assert checks.plate(typed) is None


@pytest.mark.parametrize("typed", ["2024-05-01", "2024/5/1", "2024年5月1日", "2024.05.01", datetime(2024, 5, 1, 0, 0), date(2024, 5, 1)])
def test_dates(typed: object) -> None:
    assert checks.day(typed) == date(2024, 5, 1)


@pytest.mark.parametrize("typed", ["2024-13-01", "5/1/2024", 45413, None])
def test_not_dates(typed: object) -> None:
    assert checks.day(typed) is None
