"""The early-warning rules on their own: thresholds, colours, what they say."""

from __future__ import annotations

from datetime import date

import pytest

from domain.alerts.rules import AlertSettings, cluster, repeat_complainant, risk_words, skip_level
from domain.alerts.window_rules import breach_rate, pct, repeat_reopened, satisfaction
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


# -- the window rules -------------------------------------------------------------------------

def test_two_reopenings_make_a_repeat_complainant_scoped_like_the_complaint_count():
    s = AlertSettings()
    assert repeat_reopened("c", "GD-1", "r", "王女士", 1, s) is None
    a = repeat_reopened("c", "GD-1", "r", "王女士", 2, s)
    assert (a.rule, a.scope_key, a.colour) == ("repeat_complainant", repeat_complainant("r", "王女士", 3, (), s).scope_key, "orange")
    assert a.detail == "工单 GD-1 已重新处理2次。" and a.case_ids == ("c",)
    nobody = repeat_reopened("c", "GD-1", None, "住户", 3, s)
    assert (nobody.scope_key, nobody.title) == ("case:c", "重复投诉：工单 GD-1")
    assert repeat_reopened("c", "GD-1", "r", "王女士", 2, AlertSettings(repeat_reopenings=3)) is None


def test_breach_rate_orange_from_a_tenth_red_from_a_fifth_only_on_enough_cases():
    s = AlertSettings()
    assert breach_rate("p", "一期", 20, 1, (), s) is None  # 5%
    assert breach_rate("p", "一期", 20, 2, (), s).colour == "orange"  # exactly 10%
    assert breach_rate("p", "一期", 30, 3, (), s).colour == "orange", "3/30 is 10% although 0.1 × 30 is not 3 in binary"
    assert breach_rate("p", "一期", 20, 3, (), s).colour == "orange"  # 15%
    assert breach_rate("p", "一期", 20, 4, (), s).colour == "red"  # exactly 20%
    assert breach_rate("p", "一期", 19, 19, (), s) is None, "19 cases are too few to judge"
    a = breach_rate("p", "一期", 40, 5, ("x",), s)
    assert (a.rule, a.scope_key, a.title, a.detail) == ("sla_breach", "project:p", "超时率：一期", "7天内受理40件，5件超时（12.5%）。")
    assert breach_rate("p", "一期", 2, 1, (), AlertSettings(breach_min_cases=2)).colour == "red"


def test_satisfaction_under_target_is_yellow_a_ten_point_fall_is_orange():
    s, m = AlertSettings(), date(2026, 11, 1)
    assert satisfaction("p", "一期", m, 10, 9, 0, 0, (), s) is None  # exactly 90%
    under = satisfaction("p", "一期", m, 10, 8, 0, 0, ("x",), s)
    assert (under.colour, under.scope_key, under.title) == ("yellow", "project:p:2026-11", "满意度：一期 2026年11月")
    assert under.detail == "2026年11月满意率80%（8/10），目标90%。"
    assert satisfaction("p", "一期", m, 9, 0, 0, 0, (), s) is None, "nine visits are too few to judge"
    fell = satisfaction("p", "一期", m, 20, 19, 10, 10, (), AlertSettings(satisfaction_target=0.5, satisfaction_drop=0.05))
    assert fell.colour == "orange" and fell.detail.endswith("，上月100%。")
    # 95% → 85%: ten points, although 0.95 − 0.85 is 0.0999… in binary; still above a target of 0.8.
    assert satisfaction("p", "一期", m, 20, 17, 20, 19, (), AlertSettings(satisfaction_target=0.8)).colour == "orange"
    assert satisfaction("p", "一期", m, 20, 18, 20, 19, (), AlertSettings(satisfaction_target=0.8)) is None  # 5 points
    assert satisfaction("p", "一期", m, 20, 17, 5, 5, (), AlertSettings(satisfaction_target=0.8)) is None, "last month had too few visits"


@pytest.mark.parametrize(("settings", "field"), [
    (AlertSettings(breach_orange=0.2, breach_red=0.2), "breachOrange"),
    (AlertSettings(breach_orange=0, breach_red=0.2), "breachOrange"),
    (AlertSettings(breach_red=1.5), "breachOrange"),
    (AlertSettings(breach_days=0), "breachDays"),
    (AlertSettings(breach_min_cases=0), "breachMinCases"),
    (AlertSettings(satisfaction_target=1.01), "satisfactionTarget"),
    (AlertSettings(satisfaction_target=float("nan")), "satisfactionTarget"),
    (AlertSettings(satisfaction_min_visits=0), "satisfactionMinVisits"),
    (AlertSettings(satisfaction_drop=0), "satisfactionDrop"),
    (AlertSettings(repeat_reopenings=0), "repeatReopenings"),
])
def test_impossible_window_settings_are_refused(settings, field):
    with pytest.raises(DomainError) as e:
        settings.check()
    assert e.value.field == field


def test_percentages_read_naturally():
    assert (pct(0.875), pct(0.9), pct(1 / 3), pct(0)) == ("87.5%", "90%", "33.3%", "0%")
