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


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿", "万亿")


def _group(n: int) -> str:
    """0 < n < 10,000 in capitals, with 零 for the gaps inside it."""
    out, zero = "", False
    for place in range(3, -1, -1):
        d = n // 10**place % 10
        if d == 0:
            zero = bool(out)
            continue
        out += ("零" if zero else "") + _DIGITS[d] + _SMALL[place]
        zero = False
    return out


def capitals(fen: int) -> str:
    """The amount in 大写 as a receipt writes it (the bank's rules: 整 after 元, none after 角; one
    零 for a gap, none between 元 and 角): 12345 → 壹佰贰拾叁元肆角伍分; 21002 → 贰佰壹拾元零贰分;
    100 → 壹元整. Amounts are not negative on a receipt."""
    if fen < 0:
        raise ValueError("a receipt's amount is not negative")
    yuan_part, rest = divmod(fen, 100)
    jiao, fen_ = divmod(rest, 10)
    words, group, need_zero = "", 0, False
    while yuan_part:
        yuan_part, n = divmod(yuan_part, 10_000)
        if n:
            part = _group(n) + _GROUPS[group]
            words = part + ("零" if need_zero and words else "") + words
            need_zero = n < 1000
        else:
            need_zero = bool(words)
        group += 1
    words = (words or "零") + "元"
    if jiao == 0 and fen_ == 0:
        return words + "整"
    if jiao:
        words += _DIGITS[jiao] + "角"
    elif fen_:
        words += "零"
    return words + (_DIGITS[fen_] + "分" if fen_ else "")
