"""The values an Excel import checks, canonicalised the way they are hashed: mainland phones, ID
numbers, dates, plates. Pure. (docs/archive.md §3 names `values.py` for these rules; the lead
merges the two when both exist.)"""

from __future__ import annotations

import re
from datetime import date, datetime

_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}\d{7,8}")
_SEPARATORS = re.compile(r"[\s\-()（）]")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_CARD = re.compile(r"\d{17}[\dX]")
_OTHER_ID = re.compile(r"[A-Z0-9]{5,30}")
# 京A12345, 粤B·D12345 (new energy: 8 characters), 使/领 and 警/学 endings.
_PLATE = re.compile(r"[\u4e00-\u9fff][A-Z][A-Z0-9]{4,5}[A-Z0-9\u4e00-\u9fff]")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


def phone(text: str) -> str | None:
    """The canonical phone (a mainland mobile, or a landline with its area code), None if neither."""
    digits = _SEPARATORS.sub("", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    digits = digits.split("转")[0].split(",")[0]  # an extension is dropped
    if _MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits):
        return digits
    return None


def mobile(text: str) -> str | None:
    """A mainland mobile number only (staff must be reachable by SMS)."""
    canonical = phone(text)
    return canonical if canonical and _MOBILE.fullmatch(canonical) else None


def id_card(text: str) -> str | None:
    """An 18-character resident ID card (GB 11643): checksum and birth date valid. 15-digit cards are refused."""
    number = text.strip().upper()
    if not _ID_CARD.fullmatch(number):
        return None
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != number[17]:
        return None
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
    return number if date(1900, 1, 1) <= born <= date.today() else None


def other_id(text: str) -> str | None:
    """A passport or permit number: 5-30 letters and digits."""
    number = _SEPARATORS.sub("", text).upper()
    return number if _OTHER_ID.fullmatch(number) else None


def id_check_digit(first17: str) -> str:
    """The check character of an ID card's first 17 digits (demo data and tests build valid cards)."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def plate(text: str) -> str | None:
    """A licence plate, upper case, without spaces, dots or dashes."""
    canonical = re.sub(r"[\s·.\-•]", "", text).upper()
    return canonical if _PLATE.fullmatch(canonical) else None


def day(value: object) -> date | None:
    """A date from an Excel date cell or text like 2024-05-01, 2024/5/1, 2024年5月1日."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None
