"""案例研判 and 内部通报 rules, without a database."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from domain.errors import DomainError, ErrorCode
from domain.kpi.rollups import COUNTS
from domain.reviews.rules import (
    FIGURE_NAMES, BulletinDraft, Review, check_publishable, check_revisable, check_version, check_withdrawal, figures_of,
    freeze_figures,
)

TODAY = date(2026, 12, 1)


def refused(fn, *args) -> tuple[str, str | None]:
    with pytest.raises(DomainError) as e:
        fn(*args)
    return e.value.code, e.value.field


def review(**over) -> Review:
    base = {"verdict": "exemplary", "root_cause_category": "process", "root_cause": " 首问负责，当日闭环 ", "lessons": "流程可推广"}
    return Review(**{**base, **over})


def draft(**over) -> BulletinDraft:
    base = {"kind": "praise", "title": " 表扬工程部 ", "body": "十一月报修当日完成率第一。", "month": date(2026, 11, 17)}
    return BulletinDraft(**{**base, **over})


def test_a_review_is_trimmed_and_its_tags_deduplicated():
    r = review(tags=(" 漏水 ", "漏水", "", "夜间")).check()
    assert (r.root_cause, r.tags, r.corrective_actions) == ("首问负责，当日闭环", ("漏水", "夜间"), "")


@pytest.mark.parametrize("over, field", [
    ({"verdict": "great"}, "verdict"),
    ({"root_cause_category": "luck"}, "rootCauseCategory"),
    ({"root_cause": "   "}, "rootCause"),
    ({"lessons": "x" * 2001}, "lessons"),
    ({"corrective_actions": "y" * 2001}, "correctiveActions"),
    ({"tags": tuple(f"t{i}" for i in range(11))}, "tags"),
    ({"tags": ("长" * 21,)}, "tags"),
    ({"verdict": "cautionary"}, "correctiveActions"),
])
def test_bad_reviews_are_refused_with_the_field(over, field):
    assert refused(review(**over).check) == (ErrorCode.VALIDATION, field)


def test_a_cautionary_review_with_actions_passes():
    assert review(verdict="cautionary", corrective_actions="夜间值班增加一名维修工").check().verdict == "cautionary"


def test_the_version_guard():
    check_version(None, None)
    check_version(None, 0)
    check_version(2, 2)
    assert refused(check_version, 2, 1) == (ErrorCode.CONFLICT, "expectedVersion")


def test_a_draft_is_trimmed_and_its_month_is_the_first():
    d = draft(case_ids=(uuid.UUID(int=1), uuid.UUID(int=1)), cited_figures=("satisfaction_rate", "satisfaction_rate")).check(TODAY)
    assert (d.title, d.month, d.case_ids, d.cited_figures) == ("表扬工程部", date(2026, 11, 1), (uuid.UUID(int=1),), ("satisfaction_rate",))
    assert draft(month=date(2026, 12, 31)).check(TODAY).month == date(2026, 12, 1), "this month may be bulletined"


def test_a_criticism_names_a_department_and_gives_a_reason():
    dept = uuid.uuid4()
    assert refused(draft(kind="criticism").check, TODAY) == (ErrorCode.VALIDATION, "departmentId")
    assert refused(draft(kind="criticism", department_id=dept).check, TODAY) == (ErrorCode.VALIDATION, "caseIds")
    assert draft(kind="criticism", department_id=dept, cited_figures=("broken_promises",)).check(TODAY).kind == "criticism"
    assert draft(kind="criticism", department_id=dept, case_ids=(uuid.uuid4(),)).check(TODAY).kind == "criticism"
    assert draft(kind="notice").check(TODAY).department_id is None, "a notice needs neither"


@pytest.mark.parametrize("over, field", [
    ({"kind": "gossip"}, "kind"),
    ({"title": ""}, "title"),
    ({"title": "题" * 101}, "title"),
    ({"body": " \n "}, "body"),
    ({"body": "文" * 5001}, "body"),
    ({"month": date(2027, 1, 1)}, "month"),
    ({"month": date(1999, 12, 1)}, "month"),
    ({"case_ids": tuple(uuid.uuid4() for _ in range(21))}, "caseIds"),
    ({"cited_figures": ("happiness",)}, "citedFigures"),
])
def test_bad_drafts_are_refused_with_the_field(over, field):
    assert refused(draft(**over).check, TODAY) == (ErrorCode.VALIDATION, field)


def test_the_lifecycle_draft_published_withdrawn():
    check_revisable("draft")
    check_publishable("draft")
    assert check_withdrawal("published", " 数据口径有误 ") == "数据口径有误"
    for state in ("published", "withdrawn"):
        assert refused(check_revisable, state)[0] == ErrorCode.INVALID_STATE
        assert refused(check_publishable, state)[0] == ErrorCode.INVALID_STATE
    for state in ("draft", "withdrawn"):
        assert refused(check_withdrawal, state, "原因")[0] == ErrorCode.INVALID_STATE
    assert refused(check_withdrawal, "published", "  ") == (ErrorCode.VALIDATION, "reason")
    assert refused(check_withdrawal, "published", "因" * 501) == (ErrorCode.VALIDATION, "reason")


def test_frozen_figures_keep_the_counts_and_read_back():
    counts = dict.fromkeys((*COUNTS, "handling_seconds"), 0) | {"received": 4, "in_scope": 4, "resolved": 3, "visited": 2,
                                                                 "satisfied": 1, "basically_satisfied": 1, "complaints": 1}
    at = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    snap = freeze_figures(date(2026, 11, 1), counts, 200, [{"id": "x", "number": "GD-1", "kind": "repair", "state": "closed"}], at)
    assert snap["counts"] == counts and snap["taken_at"] == at.isoformat() and snap["month"] == "2026-11-01"
    f = figures_of(snap)
    assert (f.received, f.resolution_rate, f.satisfaction_rate, f.complaints_per_1000, f.response_rate) == (4, 0.75, 1.0, 5.0, None)


def test_a_snapshot_from_before_a_new_figure_still_reads():
    f = figures_of({"figures": {"received": 2}})
    assert (f.received, f.escalations, f.satisfaction_rate) == (2, 0, None)
    assert "satisfaction_rate" in FIGURE_NAMES
