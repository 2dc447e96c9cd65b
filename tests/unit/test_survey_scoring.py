"""满意度 scores and answers (docs/resident-services.md §7.2), pure: each question kind's score,
weights, null scores, rounding half up once; answers checked against their questionnaire."""

from __future__ import annotations

import uuid
from decimal import Decimal
from fractions import Fraction

import pytest

from domain.errors import DomainError
from domain.surveys import answers
from domain.surveys.answers import Answer, Question
from domain.surveys.model import CampaignSpec, OptionSpec, QuestionSpec, check_questionnaire
from domain.surveys.scoring import answer_score, campaign_score, hundredths, rating_score, response_score


def test_a_rating_is_a_step_of_25_and_out_of_range_is_refused():
    assert [rating_score(r) for r in range(1, 6)] == [0, 25, 50, 75, 100]
    for bad in (0, 6):
        with pytest.raises(ValueError):
            rating_score(bad)


def test_single_choice_scores_its_option_and_multiple_and_text_are_not_scored():
    assert answer_score("rating", rating=4) == 75
    assert answer_score("single", option_score=60) == 60
    assert answer_score("multiple", option_score=60) is None
    assert answer_score("text") is None
    assert answer_score("rating") is None


def test_a_response_is_the_weighted_mean_of_its_scored_answers():
    assert response_score([(30, 100), (10, 0)]) == Decimal("75.00")
    assert response_score([(1, 100), (2, 75)]) == Decimal("83.33")  # 250/3
    # weight 0 and unscored answers do not count; nothing scored is null, not 0
    assert response_score([(0, 100), (20, 50), (10, None)]) == Decimal("50.00")
    assert response_score([(0, 100), (10, None)]) is None
    assert response_score([]) is None


def test_rounding_is_half_up_once_on_the_exact_value():
    assert hundredths(Fraction(1, 8) * 100) == Decimal("12.50")
    assert response_score([(1, 0), (1, 25), (1, 25), (1, 25), (1, 25), (1, 25), (1, 25), (1, 25)]) == Decimal("21.88")  # 21.875
    assert response_score([(3, 0), (1, 25)]) == Decimal("6.25")
    assert response_score([(1, 0), (2, 25)]) == Decimal("16.67")  # 16.666…


def test_a_campaign_is_the_mean_of_its_responses_with_a_score():
    assert campaign_score([Decimal("80.00"), Decimal("90.00"), None]) == Decimal("85.00")
    assert campaign_score([Decimal("83.33"), Decimal("83.34"), Decimal("83.34")]) == Decimal("83.34")  # 83.3366…
    assert campaign_score([None]) is None


def _questionnaire():
    opts = {uuid.uuid4(): 100, uuid.uuid4(): 50, uuid.uuid4(): 0}
    extra = {uuid.uuid4(): 0, uuid.uuid4(): 0}
    qs = [Question(uuid.uuid4(), 1, "rating", "物业服务总体满意度", True, 40),
          Question(uuid.uuid4(), 2, "single", "保洁是否及时", True, 20, opts),
          Question(uuid.uuid4(), 3, "multiple", "希望改进哪些方面", False, 0, extra),
          Question(uuid.uuid4(), 4, "text", "其他建议", False, 0)]
    return qs, list(opts), list(extra)


def test_answers_are_checked_and_scored_against_the_questionnaire():
    qs, opts, extra = _questionnaire()
    checked = answers.check(qs, [Answer(qs[0].id, rating=5), Answer(qs[1].id, option_ids=(opts[1],)),
                                 Answer(qs[2].id, option_ids=(extra[0], extra[1], extra[0])), Answer(qs[3].id, text=" 很好 ")])
    assert [c.score for c in checked.answers] == [100, 50, None, None]
    assert checked.answers[2].option_ids == (extra[0], extra[1]) and checked.answers[3].text == "很好"
    assert checked.score == Decimal("83.33")  # (40×100 + 20×50) / 60
    # optional questions may be left out, or sent empty
    only = answers.check(qs, [Answer(qs[0].id, rating=1), Answer(qs[1].id, option_ids=(opts[0],)), Answer(qs[3].id, text="  ")])
    assert len(only.answers) == 2 and only.score == Decimal("33.33")


@pytest.mark.parametrize("case, message", [
    ("missing_required", "第 2 题「保洁是否及时」为必答题"),
    ("other_question_option", "第 2 题「保洁是否及时」的选项须为该题自己的选项"),
    ("two_singles", "单选题"),
    ("rating_out_of_range", "第 1 题「物业服务总体满意度」须评 1 到 5 分"),
    ("unknown_question", "不属于本问卷"),
    ("twice", "答了两次"),
    ("long_text", "第 4 题"),
])
def test_bad_answers_are_refused_naming_the_question(case, message):
    qs, opts, extra = _questionnaire()
    good = {0: Answer(qs[0].id, rating=4), 1: Answer(qs[1].id, option_ids=(opts[0],))}
    given = {"missing_required": [good[0]],
             "other_question_option": [good[0], Answer(qs[1].id, option_ids=(extra[0],))],
             "two_singles": [good[0], Answer(qs[1].id, option_ids=(opts[0], opts[1]))],
             "rating_out_of_range": [Answer(qs[0].id, rating=6), good[1]],
             "unknown_question": [good[0], good[1], Answer(uuid.uuid4(), rating=3)],
             "twice": [good[0], good[1], good[0]],
             "long_text": [good[0], good[1], Answer(qs[3].id, text="长" * 1001)]}[case]
    with pytest.raises(DomainError) as refused:
        answers.check(qs, given)
    assert refused.value.code == "VALIDATION" and refused.value.field == "answers" and message in refused.value.message


def test_a_questionnaire_is_checked_before_it_is_stored():
    ok = check_questionnaire(" 年度满意度 ", "", (QuestionSpec("rating", "总体", weight=50, dimension="overall"),
                                                  QuestionSpec("single", "保洁", options=(OptionSpec("好", 100), OptionSpec("差", 0)))))
    assert ok[0] == "年度满意度"
    for bad, field in ((QuestionSpec("text", "建议", weight=10), "questions"),  # text is not scored
                       (QuestionSpec("single", "只有一个选项", options=(OptionSpec("好", 100),)), "questions"),
                       (QuestionSpec("rating", "评分", options=(OptionSpec("好", 100), OptionSpec("差", 0))), "questions"),
                       (QuestionSpec("rating", "维度", dimension="parking"), "questions"),
                       (QuestionSpec("single", "同名", options=(OptionSpec("好", 1), OptionSpec("好", 2))), "questions")):
        with pytest.raises(DomainError) as refused:
            check_questionnaire("问卷", "", (bad,))
        assert refused.value.field == field
    with pytest.raises(DomainError):
        check_questionnaire("问卷", "", ())


def test_a_campaign_spec_needs_a_sensible_window_and_sample():
    from datetime import UTC, datetime, timedelta

    now = datetime.now(UTC)
    spec = CampaignSpec("二季度调查", now, now + timedelta(days=7), "percent", 30).check()
    assert spec.seed and spec.sample_value == 30
    assert CampaignSpec("全部", now, now + timedelta(days=7), "all", 55).check().sample_value == 0
    for bad, field in ((CampaignSpec("x", now, now, "all"), "closesAt"),
                       (CampaignSpec("x", now, now + timedelta(1), "percent", 0), "sample"),
                       (CampaignSpec("x", now, now + timedelta(1), "count", 0), "sample"),
                       (CampaignSpec("x", now, now + timedelta(1), "all", cooldown_days=-1), "cooldownDays"),
                       (CampaignSpec(" ", now, now + timedelta(1), "all"), "title")):
        with pytest.raises(DomainError) as refused:
            bad.check()
        assert refused.value.field == field


def test_the_survey_score_is_a_rate_weighed_only_when_present():
    from domain.kpi.figures import Figures
    from domain.kpi.scores import Weights, score

    f = Figures(received=100, response_rate=1.0, resolution_rate=0.9, satisfaction_rate=0.95, first_contact_rate=0.8,
                return_visit_rate=0.7, on_time_rate=0.85, average_handling_hours=5.0, complaints_per_1000=2.0, broken_promises=3,
                escalations=1)
    # No campaign closed: the month scores exactly as before surveys existed, whatever the weight.
    assert score(f, Weights()) == score(f, Weights(survey=0)) == score(f, Weights(survey=50)) == pytest.approx(85.5)
    # (92.5 + 10·0.8) / 110 · 100 − 7, beside an inspection too
    assert score(f, Weights(), survey=80.0) == pytest.approx(10050 / 110 - 7)
    assert score(f, Weights(), inspection=70.0, survey=80.0) == pytest.approx(10750 / 120 - 7)
    assert score(f, Weights(survey=0), survey=10.0) == pytest.approx(85.5)
    with pytest.raises(DomainError):
        Weights(survey=-1).check()
