"""Money as integer fen (docs/resident-services.md §4): parsing and formatting, and the one
rounding of a bill — half up to the fen of the exact product, checked against exact fractions
over random inputs, the exact halves and the extremes. The SQL side of the same rounding is
held equal in tests/integration/test_bill_generation.py."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from domain.errors import DomainError, ErrorCode
from domain.fees.money import bill_fen, capitals, parse_fen, parse_rate, rate_yuan, whole_fen_rate, yuan, yuan_sign


def exact(area_centi: int, rate_1e4: int, percent: int, days: int, dim: int) -> int:
    """Half up by exact fractions: the reference the integer formula must equal."""
    value = Fraction(area_centi, 100) * Fraction(rate_1e4, 10_000) * 100 * Fraction(percent, 100) * Fraction(days, dim)
    whole = value.numerator // value.denominator
    return whole + (1 if value - whole >= Fraction(1, 2) else 0)


def test_formats_and_parses_yuan():
    assert [yuan(v) for v in (12345, 5, 0, 100, -5)] == ["123.45", "0.05", "0.00", "1.00", "-0.05"]
    assert yuan_sign(12345) == "¥123.45" and yuan_sign(-100) == "-¥1.00"
    assert rate_yuan(18750) == "1.8750" and rate_yuan(23500) == "2.3500"
    assert [parse_fen(t) for t in ("123.45", "123.4", "123", " 0.01 ")] == [12345, 12340, 12300, 1]
    assert parse_rate("2.35") == 23500 and parse_rate("1.875") == 18750 and parse_rate("3") == 30000


@pytest.mark.parametrize("text", ["123.456", "-1", "1e3", "", "¥5", "1,000.00", "12.", ".5"])
def test_refuses_what_is_no_amount(text):
    with pytest.raises(DomainError) as e:
        parse_fen(text, "amountFen")
    assert e.value.code is ErrorCode.VALIDATION and e.value.field == "amountFen"
    assert e.value.message.startswith("金额最多两位小数")


def test_refuses_a_rate_with_five_decimals():
    with pytest.raises(DomainError):
        parse_rate("1.23456")


def test_the_worked_example_and_the_exact_half():
    assert bill_fen(area_centi=8937, rate_1e4=23500) == 21002  # 89.37 m² × 2.35 元 = 210.0195 元
    # 123.5 fen exactly: half up to 124; 123.49… stays 123.
    assert bill_fen(area_centi=100, rate_1e4=12350) == 124
    assert bill_fen(area_centi=100, rate_1e4=12349) == 123
    assert bill_fen(area_centi=100, rate_1e4=12350, percent=50) == 62  # 61.75 → 62


def test_the_extremes():
    assert bill_fen(area_centi=1, rate_1e4=1) == 0  # 0.01 m² × 0.0001 元: nothing to bill
    assert bill_fen(area_centi=1, rate_1e4=50_000) == 5  # 0.01 m² × 5 元 = 5 fen
    big = bill_fen(area_centi=99_999_999, rate_1e4=999_999_999)
    assert big == exact(99_999_999, 999_999_999, 100, 1, 1)
    assert bill_fen(area_centi=8937, rate_1e4=23500, percent=0) == 0


def test_proration_by_days():
    # Half of a 30-day month of 100 元: 50 元 exactly; 10 of 31 days of 100 元: 32.258… → 32.26.
    assert bill_fen(area_centi=100, rate_1e4=1_000_000, days=15, days_in_month=30) == 5000
    assert bill_fen(area_centi=100, rate_1e4=1_000_000, days=10, days_in_month=31) == 3226


def test_equals_exact_fractions_over_random_inputs():
    rng = random.Random(20261207)
    for _ in range(10_000):
        dim = rng.choice((28, 29, 30, 31))
        args = (rng.randint(1, 99_999_999), rng.randint(1, 2_000_000), rng.randint(0, 100), rng.randint(1, dim), dim)
        assert bill_fen(area_centi=args[0], rate_1e4=args[1], percent=args[2], days=args[3], days_in_month=dim) == exact(*args)


def test_whole_fen_rates():
    assert whole_fen_rate(1_000_000) and not whole_fen_rate(18750)


@pytest.mark.parametrize(("fen", "words"), [
    (0, "零元整"), (100, "壹元整"), (12345, "壹佰贰拾叁元肆角伍分"), (21002, "贰佰壹拾元零贰分"),
    (1_000_000, "壹万元整"), (10_050_000, "壹拾万零伍佰元整"), (100_000_010, "壹佰万元壹角"), (150, "壹元伍角"),
    (1_000_100, "壹万零壹元整"), (123_456_789_012, "壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元壹角贰分"),
])
def test_capitals_as_a_receipt_writes_them(fen, words):
    assert capitals(fen) == words
