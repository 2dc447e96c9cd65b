"""满意度 scores (docs/resident-services.md §7.2), pure: what one answer is worth, a response's
weighted score, a campaign's mean. Every score is 0–100 with two decimals, rounded half up once,
where it is stored (an answer's is whole already; a response's and a campaign's are divisions)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

KINDS = ("rating", "single", "multiple", "text")
SCORED = ("rating", "single")
RATING_STEP = 25  # 1 → 0, 2 → 25, 3 → 50, 4 → 75, 5 → 100
_CENT = Decimal("0.01")


def rating_score(rating: int) -> int:
    """A 1–5 rating as 0–100."""
    if not 1 <= rating <= 5:
        raise ValueError(f"rating {rating} is not 1–5")
    return (rating - 1) * RATING_STEP


def answer_score(kind: str, *, rating: int | None = None, option_score: int | None = None) -> int | None:
    """A rating by its step, a single choice by its option's score; multiple choice and text are not scored."""
    if kind == "rating":
        return rating_score(rating) if rating is not None else None
    if kind == "single":
        return option_score
    return None


def response_score(scored: Iterable[tuple[int, int | None]]) -> Decimal | None:
    """Σ weight × score / Σ weight over the (weight, score) of answers with a score and a weight
    above zero; None when there is none (a response of text only)."""
    weighted = [(w, s) for w, s in scored if w > 0 and s is not None]
    total = sum(w for w, _ in weighted)
    if total == 0:
        return None
    return hundredths(Fraction(sum(w * s for w, s in weighted), total))


def campaign_score(responses: Iterable[Decimal | None]) -> Decimal | None:
    """The mean of the responses' stored scores (those that have one)."""
    scores = [Fraction(s) for s in responses if s is not None]
    if not scores:
        return None
    return hundredths(sum(scores, Fraction(0)) / len(scores))


def hundredths(value: Fraction) -> Decimal:
    """Half up to the hundredth, of the exact value (no float on the way)."""
    scaled = value * 100
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    return (Decimal(whole) / 100).quantize(_CENT)
