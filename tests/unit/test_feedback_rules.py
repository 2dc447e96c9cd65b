"""决策反馈 rules, without a database: the lifecycle one step at a time, evidence and attachments,
the recurring threshold, the period, the age and the event's sentence."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.errors import DomainError, ErrorCode
from domain.feedback import model
from domain.feedback.model import STATUS_LABELS, Status

TODAY = date(2026, 12, 1)


def refused(fn, *args) -> tuple[str, str | None, str]:
    with pytest.raises(DomainError) as e:
        fn(*args)
    return e.value.code, e.value.field, e.value.message


def test_the_statuses_have_chinese_labels_first():
    assert [STATUS_LABELS[s] for s in Status] == ["已上报 Reported", "已确认 Acknowledged", "已整改 Corrected", "已落实 Implemented"]


def test_the_lifecycle_moves_forward_one_step_at_a_time():
    current = Status.REPORTED
    for wanted in (Status.ACKNOWLEDGED, Status.CORRECTED, Status.IMPLEMENTED):
        current = model.advance(current, wanted)
        assert current is wanted
    assert model.next_status(Status.IMPLEMENTED) is None


@pytest.mark.parametrize(("current", "wanted"), [
    (Status.REPORTED, Status.CORRECTED),       # skipping a step
    (Status.REPORTED, Status.IMPLEMENTED),
    (Status.REPORTED, Status.REPORTED),        # standing still
    (Status.CORRECTED, Status.ACKNOWLEDGED),   # going back
    (Status.IMPLEMENTED, Status.IMPLEMENTED),  # past the end
])
def test_out_of_order_steps_are_refused_and_name_the_next_one(current, wanted):
    code, field, message = refused(model.advance, current, wanted)
    assert (code, field) == (ErrorCode.INVALID_STATE, "status")
    following = model.next_status(current)
    assert (STATUS_LABELS[following] in message) if following else ("已落实" in message)


def test_evidence_is_trimmed_and_bounded():
    assert model.evidence("  街道办回函：已立案  ") == "街道办回函：已立案"
    assert model.evidence("证" * 2000) == "证" * 2000
    for bad in ("", "   ", "证" * 2001):
        assert refused(model.evidence, bad)[:2] == (ErrorCode.VALIDATION, "evidence")
    assert refused(model.evidence, "", "summary")[:2] == (ErrorCode.VALIDATION, "summary")


def test_attachments_are_at_most_twenty_refs_of_at_most_a_thousand_characters():
    assert model.attachments([" file:1 ", "https://example.com/回函.pdf"]) == ("file:1", "https://example.com/回函.pdf")
    assert len(model.attachments([f"file:{n}" for n in range(20)])) == 20
    assert model.attachments([]) == ()
    for bad in ([f"file:{n}" for n in range(21)], ["x" * 1001], ["ok", "  "]):
        assert refused(model.attachments, bad)[:2] == (ErrorCode.VALIDATION, "attachments")
    assert model.attachments(["x" * 1000]) == ("x" * 1000,)


def test_a_problem_recurs_from_three_cases_by_default():
    assert model.DEFAULT_MIN_CASES == 3
    model.check_recurring(3)
    model.check_recurring(2, threshold=2)
    code, field, message = refused(model.check_recurring, 2)
    assert (code, field) == (ErrorCode.VALIDATION, "categoryCode") and "at least 3" in message
    assert model.min_cases(1) == 1 and model.min_cases(1000) == 1000
    for bad in (0, -1, 1001):
        assert refused(model.min_cases, bad)[:2] == (ErrorCode.VALIDATION, "minCases")


def test_the_period_is_the_first_day_of_a_month_that_has_begun():
    assert model.period_of(date(2026, 11, 30), TODAY) == date(2026, 11, 1)
    assert model.period_of(date(2026, 12, 31), TODAY) == date(2026, 12, 1)
    assert refused(model.period_of, date(2027, 1, 1), TODAY)[:2] == (ErrorCode.VALIDATION, "month")
    assert refused(model.period_of, date(1999, 12, 31), TODAY)[:2] == (ErrorCode.VALIDATION, "month")


def test_the_title_is_trimmed_and_bounded():
    assert model.title("  施工噪音反复  ") == "施工噪音反复"
    for bad in ("", " ", "题" * 201):
        assert refused(model.title, bad)[:2] == (ErrorCode.VALIDATION, "title")


def test_age_counts_whole_days_until_implemented_or_now():
    reported = datetime(2026, 11, 1, 9, tzinfo=UTC)
    now = reported + timedelta(days=10, hours=23)
    assert model.age_days(reported, None, now) == 10
    assert model.age_days(reported, reported + timedelta(days=4, hours=1), now) == 4
    assert model.age_days(reported, None, reported - timedelta(minutes=5)) == 0  # a clock a little behind


def test_the_event_sentence_says_what_happened_in_chinese():
    said = model.sentence(Status.ACKNOWLEDGED, "施工噪音反复", "噪音", "幸福街道办", date(2026, 11, 1), 4)
    assert said == "决策反馈「施工噪音反复」已确认：噪音·幸福街道办，2026年11月共4件。"
    assert "未指明单位" in model.sentence(Status.REPORTED, "t", "装修", None, date(2026, 11, 1), 3)
