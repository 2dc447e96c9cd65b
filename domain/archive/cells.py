"""One cell of an uploaded sheet to the value its column holds, or the code of what is wrong with
it. Pure: values as openpyxl reads them (str, int, float, datetime, bool)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation

from domain.archive import values
from domain.archive.problem_mask import mask_number
from domain.archive.sheets import Column
from domain.fees import sheet_values  # the opening-balance sheet rides on this reader (fees §6.8)

Value = str | int | Decimal | date | bool | None

MAX_TEXT = 500
_TRUE = {"是", "Y", "YES", "TRUE", "1", "√"}
_FALSE = {"否", "N", "NO", "FALSE", "0", "×"}
# An exported, masked value: 138****1234, 1101**********1234 — "keep what is on file".
_MASKED = re.compile(r"[0-9A-Z]{3,4}\*{3,}[0-9A-Z]{4}")


class Bad(Exception):
    def __init__(self, code: str, **args: object) -> None:
        super().__init__(code)
        self.code = code
        self.args_ = args


def text(raw: object) -> str:
    """What a person sees in the cell: 1502 typed as a number is the text 1502."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, date):
        return raw.isoformat()[:10]
    return str(raw).strip()


def masked(value: str) -> bool:
    return _MASKED.fullmatch(value) is not None


def convert(column: Column, raw: object, id_kind: str | None = None) -> Value:
    """The column's value of a non-empty cell; raises Bad."""
    if column.kind == "date":
        try:
            return values.parse_date(raw.strip() if isinstance(raw, str) else raw)
        except values.BadValue:
            raise Bad("BAD_DATE") from None
    if column.kind in ("amount", "period"):
        try:
            return sheet_values.parse_fen(raw) if column.kind == "amount" else sheet_values.parse_period(raw)
        except values.BadValue as bad:
            raise Bad(bad.code) from None
    if column.kind == "id_number" and isinstance(raw, int | float) and not isinstance(raw, bool):
        raise Bad("ID_AS_NUMBER")
    if column.kind == "text" and isinstance(raw, date):
        raise Bad("DATE_AS_TEXT")  # Excel turned "3-2" into 3 February
    value = text(raw)
    if len(value) > MAX_TEXT:
        raise Bad("TOO_LONG", limit=MAX_TEXT)
    match column.kind:
        case "text":
            return value
        case "int":
            number = _number(value)
            if number != number.to_integral_value():
                raise Bad("BAD_NUMBER")
            return int(number)
        case "decimal":
            number = _number(value)
            if number < 0:
                raise Bad("BAD_NUMBER")
            return number
        case "bool":
            upper = value.upper()
            if upper in _TRUE or upper in _FALSE:
                return upper in _TRUE
            raise Bad("BAD_CHOICE", choices="是/否")
        case "choice":
            for label, stored in column.choices:
                if value in (label, stored):
                    return stored
            raise Bad("BAD_CHOICE", choices="/".join(label for label, _ in column.choices))
        case "phone" | "mobile":
            if masked(value):
                return value
            return _canonical(values.canonical_phone if column.kind == "phone" else values.canonical_mobile, value)
        case "id_number":
            if masked(value.upper()):
                return value.upper()
            if id_kind not in (None, "id_card"):
                return _canonical(lambda v: values.canonical_id_number(v, id_kind or "other"), value,
                                  why="应为 5–30 位字母或数字", why_en="5-30 letters or digits")
            if len(value) == 15 and value.isdigit():
                raise Bad("BAD_ID_NUMBER", why="请填写 18 位身份证号", why_en="15-digit cards are void: the 18-digit number")
            return _canonical(values.canonical_id_number, value, why="身份证须为 18 位且校验位、出生日期正确",
                              why_en="an ID card has 18 characters, a valid check digit and birth date")
        case "plate":
            return _canonical(values.canonical_plate, value)
    raise AssertionError(column.kind)


def _canonical(rule: Callable[[str], str], value: str, **args: object) -> str:
    """`values`' rule, its refusal as the report's code (the message's arguments given here)."""
    try:
        return rule(value)
    except values.BadValue as bad:
        raise Bad(bad.code, **args) from None


def _number(value: str) -> Decimal:
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise Bad("BAD_NUMBER") from None
    if not number.is_finite():
        raise Bad("BAD_NUMBER")
    return number


def shown(column: Column, raw: object) -> str:
    """The cell's text for the report: long text cut; in a phone or ID column, whatever its form,
    masked from 7 characters (a landline's) and 5 (an ID of another kind than the card)."""
    value = text(raw)
    if (column.kind in ("phone", "mobile") and len(value) >= 7) or (column.kind == "id_number" and len(value) >= 5):
        return mask_number(value)[:50]
    return value[:50]
