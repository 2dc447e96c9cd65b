"""The opening-balance sheet's amounts and months (docs/resident-services.md §6.8): exact fen
from an Excel float, at most two decimals, and the forms a month is written in."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from domain.archive.values import BadValue
from domain.fees.sheet_values import parse_fen, parse_period


@pytest.mark.parametrize(("raw", "fen"), [
    (123.45, 12345), (0.1, 10), (1.15, 115), (2.675, None), (100, 10000), ("1,234.5", 123450), ("¥99", 9900),
    ("12.30", 1230), ("1.234", None), ("0", None), (-5, None), ("abc", None), (True, None), ("nan", None), ("1e400", None),
])
def test_amounts_are_exact_fen_or_refused(raw, fen):
    if fen is None:
        with pytest.raises(BadValue) as e:
            parse_fen(raw)
        assert e.value.code == "BAD_AMOUNT"
    else:
        assert parse_fen(raw) == fen


def test_every_two_decimal_float_reads_exactly():
    # The doubles Excel stores for 0.00–999.99 all read back as the fen typed.
    assert all(parse_fen(n / 100) == n for n in range(1, 100_000))


@pytest.mark.parametrize(("raw", "month"), [
    ("2026-01", date(2026, 1, 1)), ("2026/1", date(2026, 1, 1)), ("2026年1月", date(2026, 1, 1)), ("2026年12", date(2026, 12, 1)),
    ("2026-03-15", date(2026, 3, 1)), (datetime(2026, 3, 9, 10), date(2026, 3, 1)), (date(2025, 12, 31), date(2025, 12, 1)),
    ("2026-13", None), ("2026年0月", None), ("一月", None), ("", None),
])
def test_months(raw, month):
    if month is None:
        with pytest.raises(BadValue) as e:
            parse_period(raw)
        assert e.value.code == "BAD_PERIOD"
    else:
        assert parse_period(raw) == month
