"""月度考评 Scoring a month (DESIGN §6): a weighted score per project from its figures, the standard
score 50 + 10·z across the company's projects, a rank, and the trend against the month before.
Pure; the weights are the company's own."""

from __future__ import annotations

import statistics
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from domain.errors import invalid
from domain.kpi.figures import Figures

RATES = ("response", "resolution", "satisfaction", "first_contact", "on_time")
# Each penalty takes at most this share of the rated score: one bad measure can halve a score,
# both at their bound take all of it, and no score falls below 0 (a small estate's few
# complaints per 1,000 households would otherwise sink it hundreds of points below).
MAX_PENALTY_SHARE = 0.5


@dataclass(frozen=True)
class Weights:
    """Rates weigh in points out of 100; penalties are points off per unit, each at most half the
    rated score (MAX_PENALTY_SHARE)."""

    response: float = 25
    resolution: float = 25
    satisfaction: float = 30
    first_contact: float = 10
    on_time: float = 10
    per_complaint_per_1000: float = 2  # points off per complaint per 1,000 households
    per_broken_promise: float = 1  # points off per broken promise per 100 cases received
    # The HQ inspection score (品质检查) as a rate, score/100, in the months a project was
    # inspected; left out, like any rate without data, in the months it was not.
    inspection: float = 10
    # 收缴率 The collection rate of the month's bills (docs/resident-services.md §6.7), in the months
    # the project billed anything; left out otherwise, so no score of a project without fees moves.
    collection: float = 10
    # The month's satisfaction surveys (满意度调查) as a rate, score/100, in the months a campaign
    # of the project closed with enough responses; left out in the others, as inspections are.
    survey: float = 10
    # 接通率 The answer rate of the month's inbound calls (docs/centre-day.md §8), in the months a
    # project was offered any; 0 by default, so no score moves until a company weighs it.
    calls: float = 0

    def check(self) -> Weights:
        # The case rates must weigh something: a project not inspected in a month is still scored.
        if any(getattr(self, r) < 0 for r in RATES) or sum(getattr(self, r) for r in RATES) <= 0:
            raise invalid("各项比率权重不能为负，且不能全为零。Rate weights must be zero or more, and not all zero.", "weights")
        if self.inspection < 0:
            raise invalid("巡检权重不能为负。The inspection weight must be zero or more.", "weights")
        if self.collection < 0:
            raise invalid("收缴率权重不能为负。The collection weight must be zero or more.", "weights")
        if self.survey < 0:
            raise invalid("满意度调查权重不能为负。The survey weight must be zero or more.", "weights")
        if self.calls < 0:
            raise invalid("接通率权重不能为负。The calls weight must be zero or more.", "weights")
        if self.per_complaint_per_1000 < 0 or self.per_broken_promise < 0:
            raise invalid("扣分项不能为负。Penalties must be zero or more.", "weights")
        if max(getattr(self, r) for r in (*RATES, "inspection", "collection", "survey", "calls",
                                          "per_complaint_per_1000",
                                          "per_broken_promise")) > 1000:
            raise invalid("权重最大为 1000。A weight may be at most 1,000.", "weights")
        return self


def score(f: Figures, w: Weights, inspection: float | None = None, survey: float | None = None) -> float | None:
    """Points out of 100 from the rates that have data (their weights renormalised), less the
    penalties, each bounded by half that rated score — so 0 ≤ score ≤ 100; None for a project
    with nothing received and no inspection. `inspection` is the month's HQ inspection score
    (0–100), None when the project was not inspected; `survey` the month's survey score (0–100),
    None when no campaign of the project closed that month with enough responses."""
    if f.received == 0 and inspection is None and survey is None:
        return None
    rates = {"response": f.response_rate, "resolution": f.resolution_rate, "satisfaction": f.satisfaction_rate,
             "first_contact": f.first_contact_rate, "on_time": f.on_time_rate,
             "inspection": inspection / 100 if inspection is not None else None, "collection": f.collection_rate,
             "survey": survey / 100 if survey is not None else None, "calls": f.answer_rate}
    weighted = [(getattr(w, k), v) for k, v in rates.items() if v is not None and getattr(w, k) > 0]
    total = sum(weight for weight, _ in weighted)
    base = 100 * sum(weight * v for weight, v in weighted) / total if total else 0.0
    broken = f.broken_promises / f.received * 100 * w.per_broken_promise if f.received else 0.0
    complaints = (f.complaints_per_1000 or 0) * w.per_complaint_per_1000
    bound = base * MAX_PENALTY_SHARE
    return base - min(complaints, bound) - min(broken, bound)


def standard_scores(scores: Mapping[Hashable, float]) -> dict[Hashable, float]:
    """50 + 10·(x − mean)/sd over the projects that have a score; all 50 when they are alike."""
    if not scores:
        return {}
    values = list(scores.values())
    mean, sd = statistics.fmean(values), statistics.pstdev(values)
    return {k: 50.0 if sd == 0 else 50 + 10 * (v - mean) / sd for k, v in scores.items()}


def ranks(standard: Mapping[Hashable, float]) -> dict[Hashable, int]:
    """1 for the best; equal scores share a rank and the next rank skips (1, 2, 2, 4)."""
    ordered = sorted(standard.values(), reverse=True)
    return {k: ordered.index(v) + 1 for k, v in standard.items()}
