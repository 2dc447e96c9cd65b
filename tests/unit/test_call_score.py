"""接通率 in the monthly evaluation (docs/centre-day.md §8): weight `calls`, 0 by default — no score
moves until a company weighs it — and then only in the months a project was offered calls."""

from __future__ import annotations

import pytest

from domain.errors import DomainError
from domain.kpi.figures import Figures
from domain.kpi.scores import Weights, score
from tests.unit.test_scores import figures

_CASE_COUNTS = ("received", "commit_due", "commit_on_time", "resolved", "in_scope", "satisfied", "basically_satisfied", "visited",
                "first_time", "finished", "resolved_on_time", "handling_seconds", "complaints", "broken_promises", "escalations_l1",
                "escalations_l2", "escalations_l3")


def test_the_answer_rate_weighs_nothing_by_default_and_only_in_a_month_with_calls():
    assert Weights().calls == 0
    assert score(figures(answer_rate=0.5), Weights()) == pytest.approx(85.5)  # as before calls were counted
    assert score(figures(), Weights(calls=20)) == pytest.approx(85.5)  # no calls: left out
    # Weighed 20, half answered: (92.5 + 20·0.5) / 120 · 100, less 7.
    assert score(figures(answer_rate=0.5), Weights(calls=20)) == pytest.approx(10250 / 120 - 7)


def test_the_call_rates_and_their_nulls():
    counts = dict.fromkeys(_CASE_COUNTS, 0)
    f = Figures.of(counts, None)  # counts without calls: the drill-downs
    assert (f.calls, f.answer_rate, f.three_ring_rate) == (0, None, None)
    f = Figures.of(counts | {"call_offered": 3, "call_answered": 0, "call_answered_3_rings": 0}, None)
    assert (f.calls, f.answer_rate, f.three_ring_rate) == (3, 0.0, None)  # none answered: no three-ring rate
    f = Figures.of(counts | {"call_offered": 7, "call_answered": 6, "call_answered_3_rings": 4}, None)
    assert (f.calls, f.calls_answered, f.calls_within_three_rings, f.answer_rate, f.three_ring_rate) == (7, 6, 4, 6 / 7, 4 / 6)


def test_the_calls_weight_is_checked():
    for bad in (Weights(calls=-1), Weights(calls=1001)):
        with pytest.raises(DomainError) as e:
            bad.check()
        assert e.value.field == "weights"
    assert Weights(calls=30).check().calls == 30
