"""Outside bodies and referrals, pure: what a body may be, how a referral moves, the schedule of
reminders and escalations, and taking a case back from a body (REFERRED → COMMITTED only)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest

from domain.cases.states import State
from domain.errors import DomainError, ErrorCode
from domain.referrals.model import (
    ESCALATIONS, Action, BodyKind, BodySpec, DeliveryMethod, Feedback, ReferralStatus, check_body, check_feedback,
    check_withdraw, feedback_due, next_step,
)
from domain.sla.calendar import CHINA
from domain.sla.targets import Resume, plan
from tests.unit.test_case_transitions import AGENT, STEPS, T0, new_case

DUE = datetime(2026, 12, 7, 0, 0, tzinfo=CHINA)


def spec(**over) -> BodySpec:
    base = {"kind": BodyKind.STREET_OFFICE, "name": " 长宁街道办 ", "delivery": DeliveryMethod.WEBHOOK,
            "webhook_url": "https://gov.example.cn/hook", "feedback_days": 5}
    return BodySpec(**{**base, **over})


def refused(run) -> DomainError:
    with pytest.raises(DomainError) as e:
        run()
    return e.value


def test_a_body_keeps_only_the_address_its_delivery_needs():
    ok = check_body(spec(contact_name=" 王主任 ", contact_phone=""), allow_loopback=False)
    assert (ok.name, ok.webhook_url, ok.contact_name, ok.contact_phone) == ("长宁街道办", "https://gov.example.cn/hook", "王主任", None)
    by_mail = check_body(spec(delivery=DeliveryMethod.EMAIL, webhook_url=None, email="jd@example.cn"), allow_loopback=False)
    assert by_mail.email == "jd@example.cn"
    letter = check_body(spec(delivery=DeliveryMethod.LETTER, webhook_url=None, address="长宁路1号"), allow_loopback=False)
    assert letter.address == "长宁路1号"


@pytest.mark.parametrize(("over", "field"), [
    ({"name": " "}, "name"),
    ({"name": "街" * 101}, "name"),
    ({"feedback_days": 0}, "feedbackDays"),
    ({"feedback_days": 91}, "feedbackDays"),
    ({"webhook_url": "http://gov.example.cn/hook"}, "webhookUrl"),
    ({"webhook_url": "https://127.0.0.1/hook"}, "webhookUrl"),
    ({"webhook_url": "ftp://gov.example.cn"}, "webhookUrl"),
    ({"webhook_url": "https://gov.example.cn:99999/"}, "webhookUrl"),
    ({"webhook_url": None}, "webhookUrl"),
    ({"email": "jd@example.cn"}, "email"),
    ({"delivery": DeliveryMethod.EMAIL, "webhook_url": None, "email": "not-an-address"}, "email"),
    ({"delivery": DeliveryMethod.EMAIL}, "webhookUrl"),
    ({"delivery": DeliveryMethod.LETTER, "webhook_url": None}, "address"),
    ({"contact_phone": "1" * 41}, "contactPhone"),
])
def test_a_body_that_cannot_be_reached_is_refused_with_its_field(over, field):
    e = refused(lambda: check_body(spec(**over), allow_loopback=False))
    assert (e.code, e.field) == (ErrorCode.VALIDATION, field)


def test_loopback_webhooks_only_in_development():
    assert check_body(spec(webhook_url="http://127.0.0.1:8080/hook"), allow_loopback=True).webhook_url == "http://127.0.0.1:8080/hook"


def test_the_answer_is_due_at_the_end_of_the_beijing_day():
    # 16:00 UTC on 1 Dec is 00:00 on 2 Dec in Beijing: that day counts as today.
    assert feedback_due(datetime(2026, 12, 1, 15, 59, tzinfo=UTC), 5) == DUE
    assert feedback_due(datetime(2026, 12, 1, 16, 0, tzinfo=UTC), 5) == DUE + timedelta(days=1)


def test_feedback_moves_sent_to_acknowledged_to_answered_and_nothing_after():
    check_feedback(ReferralStatus.SENT, Feedback.ACKNOWLEDGED)
    check_feedback(ReferralStatus.SENT, Feedback.ANSWERED)
    check_feedback(ReferralStatus.ACKNOWLEDGED, Feedback.ANSWERED)
    assert refused(lambda: check_feedback(ReferralStatus.ACKNOWLEDGED, Feedback.ACKNOWLEDGED)).code is ErrorCode.INVALID_STATE
    for done in (ReferralStatus.ANSWERED, ReferralStatus.WITHDRAWN):
        for fb in Feedback:
            assert refused(lambda done=done, fb=fb: check_feedback(done, fb)).code is ErrorCode.INVALID_STATE
        assert refused(lambda done=done: check_withdraw(done)).code is ErrorCode.INVALID_STATE
    check_withdraw(ReferralStatus.SENT)
    check_withdraw(ReferralStatus.ACKNOWLEDGED)


def test_before_due_the_sweep_only_looks_again_at_the_due_time():
    assert next_step(DUE, 0, None, DUE - timedelta(seconds=1)) == (nothing := next_step(DUE, 0, None, DUE - timedelta(days=3)))
    assert nothing.action is None and nothing.next_check_at == DUE


def test_the_schedule_reminds_twice_then_climbs_l1_l2_l3_once_each():
    reminders, level, now, seen = 0, None, DUE, []
    for _ in range(10):
        step = next_step(DUE, reminders, level, now)
        if step.action is None:
            if step.next_check_at is None:
                break
            now = step.next_check_at
            continue
        seen.append((now - DUE, step.action))
        if step.action.kind == "remind":
            reminders = step.action.reminder
        else:
            level = step.action.level
    assert seen == [(timedelta(0), Action("remind", reminder=1)), (timedelta(days=1), Action("remind", reminder=2)),
                    *[(after, Action("escalate", level=lvl)) for lvl, after in ESCALATIONS]]
    assert [after.days for _, after in ESCALATIONS] == [2, 4, 7]
    assert next_step(DUE, 2, "l3", DUE + timedelta(days=30)) == next_step(DUE, 2, "l3", DUE)
    assert next_step(DUE, 2, "l3", DUE).next_check_at is None


def test_a_sweep_long_after_due_takes_the_next_step_and_looks_again_at_once():
    late = DUE + timedelta(days=10)
    step = next_step(DUE, 0, None, late)
    assert step.action == Action("remind", reminder=1) and step.next_check_at == DUE + timedelta(days=1)
    assert next_step(DUE, 2, "l1", late).action == Action("escalate", level="l2")


def test_take_back_only_from_referred_and_it_resumes_the_clocks():
    for state, steps in STEPS.items():
        case = new_case()
        for s in steps:
            s(case)
        before = copy.deepcopy(case)
        if state is State.REFERRED:
            case.transitions.clear()
            referred_at = case_referred_at(before)
            case.take_back("街道办回复不属其职责，我们自行协调", referred_at=referred_at, actor=AGENT,
                           now=referred_at + timedelta(hours=30))
            assert case.state is State.COMMITTED
            assert case.commitment_due == before.commitment_due + timedelta(hours=30), "the promise waits as long as the body had it"
            (t,) = case.transitions
            assert (t.topic, t.from_state, t.note) == ("case.referral_withdrawn", State.REFERRED, "街道办回复不属其职责，我们自行协调")
            assert plan(t, channel="phone", kind="request") == [Resume(t.at)]
        else:
            e = refused(lambda case=case: case.take_back("收回", referred_at=T0, actor=AGENT, now=T0))
            assert e.code is ErrorCode.INVALID_STATE and case.state is before.state and len(case.transitions) == len(before.transitions)
    referred = new_case()
    for s in STEPS[State.REFERRED]:
        s(referred)
    assert refused(lambda: referred.take_back(" ", referred_at=T0, actor=AGENT, now=T0)).field == "reason"


def case_referred_at(case):
    return next(t.at for t in reversed(case.transitions) if t.topic == "case.referred")
