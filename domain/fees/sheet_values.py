"""The opening-balance sheet's own cells (docs/resident-services.md §6.8): an amount in 元 read
exactly as fen, and a month. Pure; a refused value raises the archive's `BadValue` with the import
report's code, so the archive's reader reports it like any other cell."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from domain.archive.values import BadValue, parse_date, typed
from domain.fees.money import MAX_FEN

_MONTH = re.compile(r"(\d{4})\s*(?:[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月?)")


def parse_fen(raw: object) -> int:
    """A cell's amount as fen. A float cell is read through `repr` (the shortest text that is the
    same double), so 123.45 typed in Excel is 12345 fen, never 12344.999…; more than two decimals,
    nothing above zero, or anything not a number is BAD_AMOUNT."""
    if isinstance(raw, bool):
        raise _bad_amount()
    if isinstance(raw, float):
        text = repr(raw)
    elif isinstance(raw, int):
        text = str(raw)
    else:
        text = typed(str(raw)).strip().replace(",", "").removeprefix("¥").removesuffix("元").strip()
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise _bad_amount() from None
    if not amount.is_finite() or amount <= 0 or amount * 100 > MAX_FEN:
        raise _bad_amount()
    fen = amount * 100
    if fen != fen.to_integral_value():  # a third decimal: refused, never rounded
        raise _bad_amount()
    return int(fen)


def parse_period(raw: object) -> date:
    """A month as its first day: 2026-01, 2026/1, 2026年1月, or a date (a cell's, or 2026-01-15)."""
    if isinstance(raw, datetime | date):
        day = raw.date() if isinstance(raw, datetime) else raw
        return day.replace(day=1)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        try:
            return parse_date(raw).replace(day=1)  # an Excel day number
        except BadValue:
            pass
    if isinstance(raw, str):
        text = typed(raw).strip()
        m = _MONTH.fullmatch(text)
        if m:
            month = int(m[2] or m[3])
            if 1 <= month <= 12 and 2000 <= int(m[1]) <= 2100:
                return date(int(m[1]), month, 1)
        else:
            try:
                return parse_date(text).replace(day=1)
            except BadValue:
                pass
    raise BadValue("BAD_PERIOD", "所属期间应为月份（如 2026-01 或 2026年1月）。Not a month.")


def _bad_amount() -> BadValue:
    return BadValue("BAD_AMOUNT", "金额应大于 0，最多两位小数。An amount in 元 above 0, at most two decimals.")
