"""12345 rules without a database: deadlines per urgency and city, the government's own deadline,
what an order must carry, which answer may go back when, and the three rates' arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.cases.states import CaseKind, Severity, State
from domain.errors import DomainError, ErrorCode
from domain.gov.model import (
    DEFAULT_DEADLINES, AnswerKind, Deadlines, Urgency, check_answer, check_callback_url, check_evaluation, check_order,
)
from domain.gov.rates import RateCounts, Rates

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def order(**over):
    return {"type": "order", "order_number": "BJ12345-2026-0001", "category": "物业管理", "urgency": "general",
            "content": "楼道灯不亮", **over}


def refused(fn, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as e:
        fn(*args, **kwargs)
    return e.value


def test_defaults_follow_design_section_4():
    assert {u: d.resolve_minutes for u, d in DEFAULT_DEADLINES.items()} == {
        Urgency.URGENT: 120, Urgency.DAY: 24 * 60, Urgency.GENERAL: 7 * 24 * 60, Urgency.COMPLEX: 15 * 24 * 60}
    assert all(d.response_minutes <= d.resolve_minutes for d in DEFAULT_DEADLINES.values())
    urgent = check_order(order(urgency="urgent"), city={}, now=NOW)
    assert urgent.resolve_due == NOW + timedelta(hours=2) and urgent.response_due == NOW + timedelta(minutes=30)
    assert urgent.severity is Severity.EMERGENCY and urgent.kind is CaseKind.REQUEST
    assert check_order(order(urgency="day"), city={}, now=NOW).severity is Severity.MAJOR
    assert check_order(order(urgency="complex"), city={}, now=NOW).resolve_due == NOW + timedelta(days=15)


def test_a_citys_deadlines_override_and_the_governments_own_deadline_wins_when_ahead():
    city = {Urgency.GENERAL: Deadlines(60, 3 * 24 * 60)}
    o = check_order(order(), city=city, now=NOW)
    assert (o.response_due, o.resolve_due) == (NOW + timedelta(hours=1), NOW + timedelta(days=3))
    assert check_order(order(urgency="day"), city=city, now=NOW).resolve_due == NOW + timedelta(hours=24), "others keep defaults"
    given = check_order(order(deadline="2026-12-02T18:00:00+08:00"), city=city, now=NOW)
    assert given.resolve_due == datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    past = check_order(order(deadline="2026-11-30T18:00:00+08:00"), city=city, now=NOW)
    assert past.resolve_due == NOW + timedelta(days=3), "a deadline already past is not a promise we can keep: computed"
    soon = check_order(order(deadline=(NOW + timedelta(minutes=20)).isoformat()), city=city, now=NOW)
    assert soon.response_due == soon.resolve_due == NOW + timedelta(minutes=20), "the response is never due after the result"


@pytest.mark.parametrize(("over", "field"), [
    ({"order_number": ""}, "order_number"), ({"order_number": "含中文"}, "order_number"), ({"order_number": "x" * 65}, "order_number"),
    ({"order_number": None}, "order_number"), ({"category": None}, "category"), ({"category": "  "}, "category"),
    ({"urgency": "soon"}, "urgency"), ({"content": ""}, "content"), ({"content": "x" * 5001}, "content"),
    ({"kind": "gossip"}, "kind"), ({"deadline": "tomorrow"}, "deadline"), ({"deadline": "2026-12-02T18:00:00"}, "deadline"),
    ({"deadline": "9000-01-01T00:00:00+08:00"}, "deadline"), ({"deadline": "9999-12-31T23:59:59-14:00"}, "deadline"),
    ({"requester": "张三"}, "requester"), ({"requester": {"phone": "call me"}}, "requester.phone"), ({"address": 7}, "address"),
])
def test_bad_orders_name_their_field(over, field):
    e = refused(check_order, order(**over), city={}, now=NOW)
    assert (e.code, e.field) == (ErrorCode.VALIDATION, field)


def test_optional_parts_and_kind():
    o = check_order(order(kind="complaint", address="3号楼", requester={"name": "张先生", "phone": "138 0013 8000"}), city={}, now=NOW)
    assert (o.kind, o.address, o.requester_name, o.requester_phone) == (CaseKind.COMPLAINT, "3号楼", "张先生", "138 0013 8000")
    assert check_evaluation("basically_satisfied").value == "basically_satisfied"
    assert refused(check_evaluation, "meh").field == "evaluation"


def test_answers_progress_before_result_result_once_resolved_return_with_reason_before_result():
    ok = check_answer(AnswerKind.PROGRESS, order_status="received", case_state=State.IN_PROGRESS, text="已到场", reason=None, now=NOW)
    assert ok.status == "responded" and ok.text == "已到场"
    e = refused(check_answer, AnswerKind.RESULT, order_status="responded", case_state=State.IN_PROGRESS, text="好了", reason=None, now=NOW)
    assert e.code is ErrorCode.INVALID_STATE
    for state in (State.RESOLVED, State.CONFIRMED, State.CLOSED):
        assert check_answer(AnswerKind.RESULT, order_status="responded", case_state=state, text="已修复", reason=None,
                            now=NOW).status == "answered"
    assert refused(check_answer, AnswerKind.RETURNED, order_status="received", case_state=State.COMMITTED, text=None, reason=" ",
                   now=NOW).field == "reason"
    assert check_answer(AnswerKind.RETURNED, order_status="received", case_state=State.COMMITTED, text=None,
                        reason="属城管执法职责", now=NOW).status == "returned"
    assert refused(check_answer, AnswerKind.PROGRESS, order_status="received", case_state=State.COMMITTED, text="", reason=None,
                   now=NOW).field == "text"
    for done in ("answered", "returned"):
        for kind in AnswerKind:
            e = refused(check_answer, kind, order_status=done, case_state=State.RESOLVED, text="x", reason="y", now=NOW)
            assert e.code is ErrorCode.INVALID_STATE, "nothing after the result or the return"


def test_deadlines_and_callback_urls_are_checked():
    assert refused(Deadlines(60, 30).check, "urgent").field == "deadlines"
    assert refused(Deadlines(0, 30).check, "urgent").field == "deadlines"
    assert check_callback_url("https://12345.example.gov.cn/cb", allow_loopback=False) == "https://12345.example.gov.cn/cb"
    for bad in ("http://12345.example.gov.cn/cb", "ftp://x.example", "https://127.0.0.1/cb", "https://10.0.0.1/x", "nonsense"):
        assert refused(check_callback_url, bad, allow_loopback=False).field == "callbackUrl", bad
    assert check_callback_url("http://127.0.0.1:8080/cb", allow_loopback=True)


def test_the_three_rates_are_ratios_and_none_without_a_denominator():
    assert Rates.of(RateCounts()).response_rate is None and Rates.of(RateCounts()).satisfaction_rate is None
    c = RateCounts(received=4, response_due=4, responded_on_time=3, resolve_due=3, resolved_on_time=2, evaluated=2, satisfied=1,
                   returned=1)
    r = Rates.of(c)
    assert (r.response_rate, r.resolution_rate, r.satisfaction_rate) == (0.75, 2 / 3, 0.5)
    assert (c + c).received == 8 and Rates.of(c + c).response_rate == 0.75
