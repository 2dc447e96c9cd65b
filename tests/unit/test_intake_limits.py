"""The intake limits every new case meets, whoever registers it (domain/cases/model.py)."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.cases.commands import RegisterCase
from domain.cases.model import MAX_DESCRIPTION, MAX_PHOTO_REF, MAX_PHOTOS, MAX_PUBLIC_AREA, checked_intake
from domain.cases.states import CaseKind, Channel, Severity
from domain.errors import DomainError, ErrorCode


def refused(description: str, public_area: str | None = None, photos: tuple[str, ...] = ()) -> tuple[ErrorCode, str | None, str]:
    with pytest.raises(DomainError) as e:
        checked_intake(description, public_area, photos)
    return e.value.code, e.value.field, e.value.message


def test_text_is_trimmed_and_an_empty_place_is_none():
    assert checked_intake("  漏水  ", "   ", ()) == ("漏水", None, ())
    assert checked_intake("漏水", " 中心花园 ", ("a.jpg",)) == ("漏水", "中心花园", ("a.jpg",))


def test_the_limits_themselves_are_allowed():
    description, area, photos = checked_intake("字" * MAX_DESCRIPTION, "地" * MAX_PUBLIC_AREA, ("p" * MAX_PHOTO_REF,) * MAX_PHOTOS)
    assert (len(description), len(area or ""), len(photos)) == (MAX_DESCRIPTION, MAX_PUBLIC_AREA, MAX_PHOTOS)


def test_a_description_is_required_and_at_most_5000_characters():
    assert refused("   ") == (ErrorCode.VALIDATION, "description", "描述不能为空。description must not be empty.")
    assert refused("字" * 5001) == (ErrorCode.VALIDATION, "description",
                                           "描述最多 5000 个字符。description may have at most 5000 characters.")


def test_photos_at_most_20_of_at_most_1000_characters():
    message = "照片最多 20 张，每个引用不超过 1000 个字符。At most 20 photo references of at most 1,000 characters each."
    assert refused("漏水", photos=("a.jpg",) * 21) == (ErrorCode.VALIDATION, "photos", message)
    assert refused("漏水", photos=("p" * 1001,)) == (ErrorCode.VALIDATION, "photos", message)


def test_a_public_area_of_at_most_200_characters():
    assert refused("漏水", "地" * 201) == (ErrorCode.VALIDATION, "publicArea",
                                                "公共区域最多 200 个字符。publicArea may have at most 200 characters.")


def test_the_description_is_checked_first():
    assert refused("", "地" * 201, ("a",) * 21)[1] == "description"


def test_a_command_names_its_category_by_code_or_by_id():
    base = dict(project_id=uuid4(), kind=CaseKind.REPAIR, severity=Severity.GENERAL, channel=Channel.PHONE, description="漏水")
    assert RegisterCase(**base, category_code="water_power").category_id is None
    with pytest.raises(ValueError):
        RegisterCase(**base)
    with pytest.raises(ValueError):
        RegisterCase(**base, category_code="water_power", category_id=uuid4())
