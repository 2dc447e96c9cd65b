"""Money as integer fen (docs/resident-services.md §4). Pure: no database, no Decimal except to
read text. Rates carry one more unit than fen would (元 × 10,000), so 1.875 元/m² is exact; a
bill's amount is rounded once, half up to the fen, from the exact product."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from domain.errors import invalid

_AMOUNT = re.compile(r"^\d{1,13}(\.\d{1,2})?$")
_RATE = re.compile(r"^\d{1,9}(\.\d{1,4})?$")
# Fen fit a bigint, and a JSON number is exact up to 2**53.
MAX_FEN = 2**53 - 1


def yuan(fen: int) -> str:
    """12345 → "123.45"; -5 → "-0.05"."""
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(fen), 100)
    return f"{sign}{whole}.{part:02d}"


def yuan_sign(fen: int) -> str:
    """12345 → "¥123.45"."""
    return f"-¥{yuan(-fen)}" if fen < 0 else f"¥{yuan(fen)}"


def rate_yuan(rate_1e4: int) -> str:
    """18750 → "1.8750" (元 with four decimals, as a rate is held)."""
    whole, part = divmod(rate_1e4, 10_000)
    return f"{whole}.{part:04d}"


def parse_fen(text: str, field: str = "amount") -> int:
    """"123.45", "123.4", "123" → fen; more than two decimals, a sign or anything else → BAD_AMOUNT."""
    value = text.strip()
    if not _AMOUNT.match(value):
        raise invalid(f"金额最多两位小数。{field} must be an amount in 元 with at most two decimals.", field)
    return int(Decimal(value) * 100)


def parse_rate(text: str, field: str = "rate") -> int:
    """"2.35" → 23500 (元 × 10,000); at most four decimals."""
    value = text.strip()
    if not _RATE.match(value):
        raise invalid(f"单价最多四位小数。{field} must be a rate in 元 with at most four decimals.", field)
    try:
        return int(Decimal(value) * 10_000)
    except InvalidOperation as e:  # pragma: no cover - the pattern lets none through
        raise invalid(f"单价无效。{field} is not a rate.", field) from e


def bill_fen(*, area_centi: int, rate_1e4: int, percent: int = 100, days: int = 1, days_in_month: int = 1) -> int:
    """The one rounding of a bill: area (m² × 100) × rate (元 × 10⁴) × percent × days/days_in_month,
    half up to the fen. A fixed or per-space amount passes area_centi = 100 (one "m²").

    amount_fen = area_centi/100 × rate_1e4/10⁴ × 100 fen × percent/100 × days/dim
               = N / D with N = area_centi × rate_1e4 × percent × days, D = 10⁴ × 100 × dim."""
    n = area_centi * rate_1e4 * percent * days
    d = 10_000 * 100 * days_in_month
    return (2 * n + d) // (2 * d)


def whole_fen_rate(rate_1e4: int) -> bool:
    """Fixed, per-space and one-off amounts are whole fen: the rate a multiple of 100."""
    return rate_1e4 % 100 == 0
