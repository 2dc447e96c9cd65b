"""The rules of DESIGN §3 beyond which state allows which command."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from domain.cases.model import WrittenReply, taken_at
from domain.cases.states import Satisfaction, State
from domain.errors import DomainError, ErrorCode
from tests.unit.test_case_transitions import AGENT, REPLY, SUPERVISOR, T0, TECH, VISITOR, case_in, new_case


def code_of(call) -> ErrorCode:
    with pytest.raises(DomainError) as e:
        call()
    return e.value.code


def test_registrant_is_the_first_receiver_for_good():
    case = case_in(State.CLOSED)
    assert case.first_receiver_id == AGENT.id
    assert [t.topic for t in case.transitions] == [
        "case.received", "case.committed", "case.dispatched", "case.accepted", "case.started", "case.resolved",
        "case.confirmed", "case.closed"]


def test_loosening_the_commitment_needs_a_supervisor():
    default = T0 + timedelta(hours=6)
    case = new_case()
    assert code_of(lambda: case.commit(T0 + timedelta(hours=8), default_due=default, actor=AGENT, now=T0)) is ErrorCode.FORBIDDEN
    assert code_of(lambda: case.commit(T0 - timedelta(minutes=1), default_due=default, actor=AGENT, now=T0)) is ErrorCode.VALIDATION
    case.commit(T0 + timedelta(hours=8), default_due=default, actor=SUPERVISOR, now=T0)
    assert case.commitment_due == T0 + timedelta(hours=8)


def test_without_a_due_the_promise_is_the_policys_deadline_while_it_lies_ahead():
    case = new_case()
    case.commit(None, default_due=T0 + timedelta(minutes=2), actor=AGENT, now=T0)
    assert case.commitment_due == T0 + timedelta(minutes=2)
    late = new_case()
    assert code_of(lambda: late.commit(None, default_due=T0 - timedelta(minutes=1), actor=AGENT, now=T0)) is ErrorCode.VALIDATION
    assert late.state is State.RECEIVED


def test_front_line_cannot_refuse_and_a_decline_needs_a_supervisor_and_alternatives():
    case = new_case()
    assert code_of(lambda: case.cancel("没人", actor=AGENT, now=T0)) is ErrorCode.FORBIDDEN
    case.request_decline("搬运不属于物业服务", actor=AGENT, now=T0)
    assert code_of(lambda: case.approve_decline(REPLY, actor=AGENT, now=T0)) is ErrorCode.FORBIDDEN
    no_alternative = WrittenReply("不属于服务范围", "合同第十二条", ("", "  "))
    assert code_of(lambda: case.approve_decline(no_alternative, actor=SUPERVISOR, now=T0)) is ErrorCode.VALIDATION
    no_basis = WrittenReply("不属于服务范围", "", ("搬家公司15:00上门，¥200",))
    assert code_of(lambda: case.approve_decline(no_basis, actor=SUPERVISOR, now=T0)) is ErrorCode.VALIDATION
    assert case.state is State.DECLINE_REQUESTED
    case.approve_decline(REPLY, actor=SUPERVISOR, now=T0)
    assert case.state is State.DECLINED and case.written_reply.alternatives == REPLY.alternatives


def test_denied_decline_returns_to_where_it_was():
    case = case_in(State.DISPATCHED)
    case.request_decline("太忙", actor=AGENT, now=T0)
    case.deny_decline("必须安排", actor=SUPERVISOR, now=T0)
    assert case.state is State.DISPATCHED and case.decline_from is None


def test_undispatchable_stays_open_and_asks_to_escalate():
    case = case_in(State.COMMITTED)
    case.report_undispatchable("工程部全员外出", actor=AGENT, now=T0)
    assert case.state is State.COMMITTED
    last = case.transitions[-1]
    assert last.topic == "case.undispatchable" and last.data["escalate_to_level"] == 1
    assert code_of(lambda: case.report_undispatchable("  ", actor=AGENT, now=T0)) is ErrorCode.VALIDATION


def test_only_the_assignee_accepts_starts_and_resolves():
    case = case_in(State.DISPATCHED)
    assert code_of(lambda: case.accept(actor=AGENT, now=T0)) is ErrorCode.FORBIDDEN
    case.accept(actor=TECH, now=T0)
    assert code_of(lambda: case.start(actor=AGENT, now=T0)) is ErrorCode.FORBIDDEN
    assert code_of(lambda: case.resolve("done", actor=AGENT, now=T0)) is ErrorCode.FORBIDDEN


def test_department_dispatch_is_accepted_by_whoever_takes_it():
    case = case_in(State.COMMITTED)
    case.dispatch(assignee_id=None, department_id=uuid4(), actor=AGENT, now=T0)
    case.accept(actor=TECH, now=T0)
    assert case.assignee_id == TECH.id
    assert code_of(lambda: case_in(State.COMMITTED).dispatch(assignee_id=None, department_id=None, actor=AGENT,
                                                             now=T0)) is ErrorCode.VALIDATION


def test_waiting_on_the_resident_moves_the_commitment_not_the_promise():
    case = case_in(State.IN_PROGRESS)
    due = case.commitment_due
    case.pause("业主出差，周五才能入户", actor=TECH, now=T0)
    assert code_of(lambda: case.pause("again", actor=TECH, now=T0)) is ErrorCode.INVALID_STATE
    assert code_of(lambda: case.resolve("done", actor=TECH, now=T0)) is ErrorCode.INVALID_STATE
    case.resume(actor=TECH, now=T0 + timedelta(hours=30))
    assert case.commitment_due == due + timedelta(hours=30)
    assert case.paused_total == timedelta(hours=30) and case.broken_promises == 0


def test_a_missed_promise_needs_apology_reason_remedy_and_a_later_commitment():
    case = case_in(State.IN_PROGRESS)
    due = case.commitment_due
    for missing in ("apology", "reason", "remedy"):
        args = {"apology": "抱歉", "reason": "缺货", "remedy": "免费", missing: ""}
        assert code_of(lambda args=args: case.miss_promise(**args, new_due=due + timedelta(days=1), actor=AGENT,
                                                          now=T0)) is ErrorCode.VALIDATION
    assert code_of(lambda: case.miss_promise(apology="抱歉", reason="缺货", remedy="免费", new_due=due, actor=AGENT,
                                             now=T0)) is ErrorCode.VALIDATION
    case.miss_promise(apology="非常抱歉", reason="配件缺货", remedy="赠送一次保洁", new_due=due + timedelta(days=1), actor=AGENT, now=T0)
    assert case.broken_promises == 1 and case.commitment_due == due + timedelta(days=1)
    assert case.transitions[-1].data["remedy"] == "赠送一次保洁"


def test_silence_confirms_only_after_the_configured_time():
    case = case_in(State.RESOLVED)
    assert code_of(lambda: case.auto_confirm(now=T0 + timedelta(hours=47), silence=timedelta(hours=48))) is ErrorCode.INVALID_STATE
    case.auto_confirm(now=T0 + timedelta(hours=48), silence=timedelta(hours=48))
    assert case.state is State.CONFIRMED and case.auto_confirmed


def test_rejection_reopens_and_counts():
    case = case_in(State.RESOLVED)
    case.reject("还在漏水", now=T0)
    assert case.state is State.REOPENED and case.reopen_count == 1


def test_return_visit_by_another_person_and_dissatisfaction_climbs_to_l2_then_l3():
    case = case_in(State.CONFIRMED)
    assert code_of(lambda: case.return_visit(Satisfaction.SATISFIED, 5, "", visitor=TECH, now=T0)) is ErrorCode.FORBIDDEN
    assert code_of(lambda: case.return_visit(Satisfaction.SATISFIED, 6, "", visitor=VISITOR, now=T0)) is ErrorCode.VALIDATION
    case.return_visit(Satisfaction.DISSATISFIED, 1, "态度差", visitor=VISITOR, now=T0)
    assert case.state is State.REOPENED and case.rework_level == 2
    assert case.transitions[-1].data["escalate_to_level"] == 2
    for step in ("dispatch", "accept", "start", "resolve", "confirm"):
        {"dispatch": lambda: case.dispatch(assignee_id=TECH.id, department_id=None, actor=AGENT, now=T0),
         "accept": lambda: case.accept(actor=TECH, now=T0), "start": lambda: case.start(actor=TECH, now=T0),
         "resolve": lambda: case.resolve("重新处理", actor=TECH, now=T0), "confirm": lambda: case.confirm(now=T0)}[step]()
    case.return_visit(Satisfaction.DISSATISFIED, 2, "仍不满意", visitor=VISITOR, now=T0)
    assert case.rework_level == 3 and case.transitions[-1].data["escalate_to_level"] == 3


def test_a_case_cannot_repeat_itself_nor_a_case_of_another_project():
    case = new_case()
    assert code_of(lambda: case.link_repeat(case.id, case.project_id, actor=AGENT, now=T0)) is ErrorCode.VALIDATION
    assert code_of(lambda: case.link_repeat(uuid4(), uuid4(), actor=AGENT, now=T0)) is ErrorCode.VALIDATION
    assert case.repeat_of is None
    earlier = uuid4()
    case.link_repeat(earlier, case.project_id, actor=AGENT, now=T0)
    assert case.repeat_of == earlier


def test_long_texts_are_refused():
    case = case_in(State.IN_PROGRESS)
    assert code_of(lambda: case.resolve("长" * 2001, actor=TECH, now=T0)) is ErrorCode.VALIDATION


def test_a_relayed_request_is_taken_within_a_day_and_never_ahead_of_now():
    assert taken_at(None, T0) == T0
    assert taken_at(T0 - timedelta(hours=23, minutes=59), T0) == T0 - timedelta(hours=23, minutes=59)
    assert taken_at(T0 + timedelta(minutes=2), T0) == T0, "clock skew counts as now"
    assert code_of(lambda: taken_at(T0 - timedelta(hours=24, seconds=1), T0)) == ErrorCode.OUT_OF_WINDOW
    assert code_of(lambda: taken_at(T0 + timedelta(minutes=2, seconds=1), T0)) == ErrorCode.OUT_OF_WINDOW
