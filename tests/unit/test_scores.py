"""月度考评 on hand-computed figures."""

from __future__ import annotations

import pytest

from domain.errors import DomainError
from domain.kpi.figures import Figures
from domain.kpi.scores import Weights, ranks, score, standard_scores


def figures(**over) -> Figures:
    base = dict(received=100, response_rate=1.0, resolution_rate=0.9, satisfaction_rate=0.95, first_contact_rate=0.8,
                return_visit_rate=0.7, on_time_rate=0.85, average_handling_hours=5.0, complaints_per_1000=2.0,
                broken_promises=3, escalations=1)
    return Figures(**{**base, **over})


def test_score_weighs_rates_and_takes_penalties_off():
    # 100 × (25·1.0 + 25·0.9 + 30·0.95 + 10·0.8 + 10·0.85) / 100 = 92.5; less 2·2 and 3/100·100·1 = 7.
    assert score(figures(), Weights()) == pytest.approx(85.5)
    # A rate with no data leaves its weight out: (25·1.0 + 25·0.9 + 10·0.8 + 10·0.85) / 70 · 100 = 91.4286
    assert score(figures(satisfaction_rate=None), Weights()) == pytest.approx(6400 / 70 - 7)
    assert score(figures(received=0), Weights()) is None


def test_each_penalty_takes_at_most_half_the_rated_score_so_a_score_stays_within_0_to_100():
    # A small estate: 3 complaints among 20 households is 150 per 1,000 — 300 points at 2 each.
    small = figures(complaints_per_1000=150.0, broken_promises=0)
    assert score(small, Weights()) == pytest.approx(92.5 / 2)
    # Both penalties at their bound take the whole score, never more.
    worst = figures(complaints_per_1000=1000.0, broken_promises=400)
    assert score(worst, Weights()) == pytest.approx(0.0)
    for complaints in (0.0, 5.0, 40.0, 500.0):
        for broken in (0, 3, 50, 300):
            got = score(figures(complaints_per_1000=complaints, broken_promises=broken), Weights(per_complaint_per_1000=1000))
            assert 0.0 <= got <= 100.0


def test_standard_scores_and_ranks():
    standard = standard_scores({"a": 90.0, "b": 80.0, "c": 70.0})
    sd = (200 / 3) ** 0.5
    assert standard["a"] == pytest.approx(50 + 10 * 10 / sd) and standard["b"] == pytest.approx(50)
    assert ranks(standard) == {"a": 1, "b": 2, "c": 3}
    assert standard_scores({"a": 80.0, "b": 80.0}) == {"a": 50.0, "b": 50.0}
    assert ranks({"a": 60.0, "b": 55.0, "c": 55.0, "d": 40.0}) == {"a": 1, "b": 2, "c": 2, "d": 4}
    assert standard_scores({}) == {}


def test_impossible_weights_are_refused():
    for bad in (Weights(response=-1), Weights(0, 0, 0, 0, 0), Weights(per_broken_promise=-2), Weights(response=5000)):
        with pytest.raises(DomainError) as e:
            bad.check()
        assert e.value.field == "weights"


def test_the_inspection_score_is_a_rate_weighed_when_present():
    # (25·1.0 + 25·0.9 + 30·0.95 + 10·0.8 + 10·0.85 + 10·0.70) / 110 · 100 = 99.5 / 110 · 100 = 90.4545…, less 7.
    assert score(figures(), Weights(), inspection=70.0) == pytest.approx(9950 / 110 - 7)
    # Not inspected: the weight is left out, the score is as before.
    assert score(figures(), Weights(), inspection=None) == pytest.approx(85.5)
    # Inspected at 100 with an inspection weight of 20: (92.5 + 20) / 120 · 100 = 93.75, less 7.
    assert score(figures(), Weights(inspection=20), inspection=100.0) == pytest.approx(93.75 - 7)
    assert score(figures(), Weights(inspection=0), inspection=10.0) == pytest.approx(85.5)
    # Nothing received but inspected: the inspection alone, no penalties.
    assert score(figures(received=0, response_rate=None, resolution_rate=None, satisfaction_rate=None, first_contact_rate=None,
                         on_time_rate=None, complaints_per_1000=0.0, broken_promises=0), Weights(), inspection=64.0) == pytest.approx(64.0)


def test_inspection_weight_is_checked():
    for bad in (Weights(inspection=-1), Weights(inspection=1001)):
        with pytest.raises(DomainError) as e:
            bad.check()
        assert e.value.field == "weights"
    assert Weights(inspection=0).check().inspection == 0
