"""收缴率 in the monthly evaluation (docs/resident-services.md §6.7): weighed in the months a
project billed anything, left out otherwise — so no score of a project without fees moves."""

from __future__ import annotations

import pytest

from domain.errors import DomainError
from domain.kpi.figures import Figures
from domain.kpi.scores import Weights, score
from tests.unit.test_scores import figures


def test_the_collection_rate_is_weighed_only_in_a_month_with_bills():
    # Nothing billed: as before fees existed (92.5 less 7), whatever the collection weight.
    assert score(figures(), Weights()) == pytest.approx(85.5)
    assert score(figures(), Weights(collection=50)) == pytest.approx(85.5)
    # Billed, 60% collected: (92.5 + 10·0.6) / 110 · 100 = 89.5454…, less 7.
    assert score(figures(collection_rate=0.6), Weights()) == pytest.approx(9850 / 110 - 7)
    # Weighed with the inspection score: (92.5 + 10·0.7 + 10·0.6) / 120 · 100, less 7.
    assert score(figures(collection_rate=0.6), Weights(), inspection=70.0) == pytest.approx(10550 / 120 - 7)
    assert score(figures(collection_rate=0.6), Weights(collection=0)) == pytest.approx(85.5)


def test_the_figures_rate_is_collected_over_due_and_null_when_nothing_is_due():
    counts = dict.fromkeys(("received", "commit_due", "commit_on_time", "resolved", "in_scope", "satisfied",
                            "basically_satisfied", "visited", "first_time", "finished", "resolved_on_time", "handling_seconds",
                            "complaints", "broken_promises", "escalations_l1", "escalations_l2", "escalations_l3"), 0)
    assert Figures.of(counts, None).collection_rate is None  # counts without fees: the drill-downs
    assert Figures.of(counts | {"fee_due_fen": 0, "fee_collected_fen": 0}, None).collection_rate is None
    assert Figures.of(counts | {"fee_due_fen": 36000, "fee_collected_fen": 20000}, None).collection_rate == 20000 / 36000


def test_the_collection_weight_is_checked():
    for bad in (Weights(collection=-1), Weights(collection=1001)):
        with pytest.raises(DomainError) as e:
            bad.check()
        assert e.value.field == "weights"
    assert Weights(collection=0).check().collection == 0
