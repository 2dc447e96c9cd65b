"""进度 What the resident sees of each step, and what they never see."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from domain.cases.progress import Entry, named_ids, progress

AT = datetime(2026, 11, 22, 4, 40, tzinfo=UTC)


def test_each_step_in_the_resident_words_with_times_in_china():
    tech = uuid4()
    entries = [
        Entry(AT, "case.received", None, {"channel": "phone"}),
        Entry(AT, "case.committed", None, {"due": "2026-11-22T06:40:00+00:00"}),
        Entry(AT, "case.undispatchable", "工程部都在外面", {"escalate_to_level": 1}),
        Entry(AT, "case.dispatched", None, {"assignee_id": str(tech), "department_id": None}),
        Entry(AT, "case.linked_repeat", None, {"earlier_case_id": str(uuid4())}),
        Entry(AT, "case.referred", "违章搭建", {"body": "街道办"}),
        Entry(AT, "case.resolved", "街道办已责令拆除", {"by_referral": True}),
        Entry(AT, "case.confirmed", None, {"automatic": True}),
        Entry(AT, "case.cancelled", "重复登记", {"by_resident": False}),
    ]
    assert named_ids(entries) == {tech}
    steps = progress(entries, {tech: "王师傅"})
    assert [s.stage for s in steps] == ["received", "committed", "dispatched", "referred", "resolved", "confirmed", "cancelled"]
    assert steps[1].message == "我们承诺在 11月22日 14:40 前为您处理。"  # 06:40 UTC is 14:40 in China
    assert steps[2].message == "已安排王师傅为您处理。"
    assert "街道办" in steps[3].message and steps[4].message.startswith("相关部门已答复：街道办已责令拆除")
    assert steps[5].message == "您未在规定时间内反馈，系统已自动确认。"
    assert all("工程部都在外面" not in s.message for s in steps)


def test_a_department_or_an_unknown_person_is_named_politely():
    dept = uuid4()
    step = progress([Entry(AT, "case.dispatched", None, {"assignee_id": None, "department_id": str(dept)})], {dept: "工程部"})
    assert step[0].message == "已安排工程部为您处理。"
    nameless = progress([Entry(AT, "case.dispatched", None, {"assignee_id": str(uuid4())})], {})
    assert nameless[0].message == "已安排工作人员为您处理。"
