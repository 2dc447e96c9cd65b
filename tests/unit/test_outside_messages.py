"""What the events of work with outside bodies, 12345 orders and decision feedback say on a
channel: a title by topic (with the case number when there is one), the payload's summary as the
body — and that channels may subscribe to them."""

from __future__ import annotations

import pytest

from domain.errors import DomainError
from domain.notifications.channels import ChannelKind, ChannelSpec, check_channel
from domain.notifications.messages import DELIVERABLE, OUTSIDE_TOPICS, PROGRESS_TOPICS, escalation, render

CASE_TOPICS = {
    "referral.sent": "转办已发出", "referral.acknowledged": "外部单位已签收", "referral.answered": "外部单位已答复",
    "referral.reminded": "转办催办", "gov_order.received": "12345工单已接收", "gov_order.answered": "12345已回复",
    "gov_order.evaluated": "12345评价",
}


@pytest.mark.parametrize(("topic", "title"), sorted(CASE_TOPICS.items()))
def test_case_events_name_the_case_and_carry_the_summary(topic, title):
    payload = {"case_id": "7b1c4f2e-0000-4000-8000-000000000001", "summary": "已转办至朝阳街道办，请于5日内反馈。"}
    assert render(topic, payload, number="P1-000042", description="楼道灯不亮") == (
        f"{title}：工单 P1-000042", "已转办至朝阳街道办，请于5日内反馈。")


@pytest.mark.parametrize(("topic", "title"), [("decision_feedback.reported", "决策反馈已上报"),
                                              ("decision_feedback.advanced", "决策反馈进展")])
def test_decision_feedback_has_no_case_number(topic, title):
    payload = {"item_id": "x", "status": "reported", "category": "parking", "summary": "小区周边停车难已上报区住建委。"}
    assert render(topic, payload, number=None, description=None) == (title, "小区周边停车难已上报区住建委。")


def test_a_missing_summary_gives_an_empty_body_not_an_error():
    assert render("referral.reminded", {"referral_id": "r"}, number=None, description=None) == ("转办催办", "")


def test_outside_topics_are_deliverable_and_channels_may_subscribe_to_them():
    assert OUTSIDE_TOPICS == set(CASE_TOPICS) | {"decision_feedback.reported", "decision_feedback.advanced"}
    assert OUTSIDE_TOPICS <= DELIVERABLE and "case.referral_withdrawn" in PROGRESS_TOPICS <= DELIVERABLE
    spec = ChannelSpec(ChannelKind.WEBHOOK, "12345 对接", "https://bi.example.com/hook", tuple(sorted(OUTSIDE_TOPICS)), "s" * 20)
    check_channel(spec, allow_loopback=False)  # no error: every new topic is accepted
    with pytest.raises(DomainError) as refused:
        check_channel(ChannelSpec(ChannelKind.WEBHOOK, "x", "https://bi.example.com/hook", ("referral.lost",), "s" * 20),
                      allow_loopback=False)
    assert refused.value.field == "topics"


def test_an_overdue_referral_escalation_says_why():
    title, body = escalation("P1-000042", "楼道灯不亮", {"level": "l1", "reason": "referral_overdue", "target": None})
    assert title == "一级升级 L1：工单 P1-000042" and body.startswith("转办逾期未复。")


def test_a_withdrawn_referral_renders_as_progress_or_says_nothing():
    rendered = render("case.referral_withdrawn", {"at": "2026-03-02T08:00:00+00:00", "note": "已自行处理"},
                      number="P1-000042", description="楼道灯不亮")
    assert rendered is None or rendered[0].endswith("：工单 P1-000042")
