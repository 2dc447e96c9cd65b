"""The early-warning rules on their own: thresholds, colours, what they say."""

from __future__ import annotations

import pytest

from domain.alerts.rules import AlertSettings, cluster, repeat_complainant, risk_words, skip_level
from domain.errors import DomainError


def test_skip_level_is_a_complaint_through_hq_or_12345():
    assert skip_level("c", "GD-1", "complaint", "gov_12345").colour == "red"
    assert skip_level("c", "GD-1", "complaint", "hq_hotline").detail == "业主通过总部热线投诉，需立即跟进。"
    assert skip_level("c", "GD-1", "repair", "gov_12345") is None and skip_level("c", "GD-1", "complaint", "phone") is None


def test_risk_words_orange_for_one_red_for_two():
    words = AlertSettings().risk_words
    assert risk_words("c", "GD-1", "我要请律师", words).colour == "orange"
    assert risk_words("c", "GD-1", "我要请律师起诉你们", words).colour == "red"
    assert risk_words("c", "GD-1", "电梯异响", words) is None


def test_cluster_and_repeat_thresholds():
    s = AlertSettings()
    assert cluster("k", "7号楼", "水电", 4, (), s) is None
    assert cluster("k", "7号楼", "水电", 5, (), s).colour == "orange" and cluster("k", "7号楼", "水电", 10, (), s).colour == "red"
    assert repeat_complainant("r", "王女士", 2, (), s) is None and repeat_complainant("r", "王女士", 3, (), s).colour == "orange"


@pytest.mark.parametrize(("settings", "field"), [
    (AlertSettings(cluster_orange=10, cluster_red=10), "clusterOrange"),
    (AlertSettings(cluster_hours=0), "clusterHours"),
    (AlertSettings(repeat_days=400), "repeatComplaints"),
    (AlertSettings(risk_words=("太长" * 11,)), "riskWords"),
])
def test_impossible_settings_are_refused(settings, field):
    with pytest.raises(DomainError) as e:
        settings.check()
    assert e.value.field == field


def test_risk_words_are_trimmed_and_deduplicated():
    assert AlertSettings(risk_words=(" 媒体 ", "媒体", "", "记者")).check().risk_words == ("媒体", "记者")
