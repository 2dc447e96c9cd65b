"""Every command in every state: legal ones move the case, all others are refused with
INVALID_STATE and change nothing."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.cases.model import Actor, Case, WrittenReply
from domain.cases.states import OPEN_BEFORE_WORK, PAUSABLE, CaseKind, Channel, Satisfaction, Severity, State
from domain.errors import DomainError, ErrorCode

T0 = datetime(2026, 11, 22, 12, 40, tzinfo=UTC)
AGENT = Actor(uuid4())
TECH = Actor(uuid4())
SUPERVISOR = Actor(uuid4(), supervisor=True)
VISITOR = Actor(uuid4())
REPLY = WrittenReply("不属于物业服务范围", "《物业服务合同》第十二条", ("搬家公司可15:00上门，收费200元",))


def new_case() -> Case:
    return Case.register(org_id=uuid4(), project_id=uuid4(), kind=CaseKind.REQUEST, severity=Severity.GENERAL,
                         channel=Channel.PHONE, receiver=AGENT, now=T0)


STEPS = {
    State.RECEIVED: [],
    State.COMMITTED: [lambda c: c.commit(T0 + timedelta(hours=2), default_due=T0 + timedelta(hours=6), actor=AGENT, now=T0)],
}
STEPS[State.DISPATCHED] = STEPS[State.COMMITTED] + [lambda c: c.dispatch(assignee_id=TECH.id, department_id=None, actor=AGENT, now=T0)]
STEPS[State.ACCEPTED] = STEPS[State.DISPATCHED] + [lambda c: c.accept(actor=TECH, now=T0)]
STEPS[State.IN_PROGRESS] = STEPS[State.ACCEPTED] + [lambda c: c.start(actor=TECH, now=T0)]
STEPS[State.RESOLVED] = STEPS[State.IN_PROGRESS] + [lambda c: c.resolve("已搬运完毕", actor=TECH, now=T0)]
STEPS[State.CONFIRMED] = STEPS[State.RESOLVED] + [lambda c: c.confirm(now=T0)]
STEPS[State.CLOSED] = STEPS[State.CONFIRMED] + [lambda c: c.return_visit(Satisfaction.SATISFIED, 5, "很好", visitor=VISITOR, now=T0)]
STEPS[State.REOPENED] = STEPS[State.RESOLVED] + [lambda c: c.reject("瓷砖还在门口", now=T0)]
STEPS[State.REFERRED] = STEPS[State.COMMITTED] + [lambda c: c.refer("街道办", "违章搭建", actor=AGENT, now=T0)]
STEPS[State.DECLINE_REQUESTED] = [lambda c: c.request_decline("超出服务范围", actor=AGENT, now=T0)]
STEPS[State.DECLINED] = STEPS[State.DECLINE_REQUESTED] + [lambda c: c.approve_decline(REPLY, actor=SUPERVISOR, now=T0)]
STEPS[State.CANCELLED] = [lambda c: c.cancel("业主撤回", actor=AGENT, now=T0, by_resident=True)]
assert set(STEPS) == set(State)


def case_in(state: State) -> Case:
    case = new_case()
    for step in STEPS[state]:
        step(case)
    assert case.state is state
    return case


LATER = T0 + timedelta(days=10)
COMMANDS = {
    "commit": ({State.RECEIVED}, lambda c: c.commit(T0 + timedelta(hours=1), default_due=T0 + timedelta(hours=6), actor=AGENT, now=T0)),
    "link_repeat": ({State.RECEIVED, State.COMMITTED}, lambda c: c.link_repeat(uuid4(), c.project_id, actor=AGENT, now=T0)),
    "dispatch": ({State.COMMITTED, State.REOPENED, State.DISPATCHED, State.ACCEPTED},
                 lambda c: c.dispatch(assignee_id=TECH.id, department_id=None, actor=AGENT, now=T0)),
    "report_undispatchable": ({State.COMMITTED, State.REOPENED, State.DISPATCHED},
                              lambda c: c.report_undispatchable("工程部全员外出", actor=AGENT, now=T0)),
    "accept": ({State.DISPATCHED}, lambda c: c.accept(actor=TECH, now=T0)),
    "start": ({State.ACCEPTED}, lambda c: c.start(actor=TECH, now=T0)),
    "pause": (set(PAUSABLE), lambda c: c.pause("业主不在家", actor=TECH, now=T0)),
    "resume": (set(), lambda c: c.resume(actor=TECH, now=T0)),
    "resolve": ({State.ACCEPTED, State.IN_PROGRESS}, lambda c: c.resolve("完成", actor=TECH, now=T0)),
    "miss_promise": ({State.COMMITTED, State.DISPATCHED, State.ACCEPTED, State.IN_PROGRESS, State.REOPENED},
                     lambda c: c.miss_promise(apology="非常抱歉", reason="配件缺货", remedy="免收上门费", new_due=LATER,
                                              actor=AGENT, now=T0)),
    "confirm": ({State.RESOLVED}, lambda c: c.confirm(now=T0)),
    "reject": ({State.RESOLVED}, lambda c: c.reject("没修好", now=T0)),
    "auto_confirm": ({State.RESOLVED}, lambda c: c.auto_confirm(now=T0 + timedelta(hours=48), silence=timedelta(hours=48))),
    "return_visit": ({State.CONFIRMED}, lambda c: c.return_visit(Satisfaction.SATISFIED, 5, "", visitor=VISITOR, now=T0)),
    "cancel": (set(OPEN_BEFORE_WORK), lambda c: c.cancel("业主撤回", actor=SUPERVISOR, now=T0)),
    "request_decline": (set(OPEN_BEFORE_WORK), lambda c: c.request_decline("超出范围", actor=AGENT, now=T0)),
    "approve_decline": ({State.DECLINE_REQUESTED}, lambda c: c.approve_decline(REPLY, actor=SUPERVISOR, now=T0)),
    "revise_written_reply": ({State.DECLINED}, lambda c: c.revise_written_reply(REPLY, actor=SUPERVISOR, now=T0)),
    "deny_decline": ({State.DECLINE_REQUESTED}, lambda c: c.deny_decline("请安排人员", actor=SUPERVISOR, now=T0)),
    "refer": ({State.COMMITTED, State.DISPATCHED, State.ACCEPTED, State.IN_PROGRESS, State.REOPENED},
              lambda c: c.refer("派出所", "治安纠纷", actor=AGENT, now=T0)),
    "referral_answered": ({State.REFERRED}, lambda c: c.referral_answered("已处理", actor=None, now=T0)),
}


@pytest.mark.parametrize("state", list(State), ids=lambda s: s.value)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_command_in_state(command: str, state: State):
    legal, run = COMMANDS[command]
    case = case_in(state)
    before = copy.deepcopy(case)
    if state in legal:
        run(case)
        assert len(case.transitions) == len(before.transitions) + 1
        assert case.transitions[-1].from_state is state
    else:
        with pytest.raises(DomainError) as refused:
            run(case)
        assert refused.value.code is ErrorCode.INVALID_STATE
        assert case == before, "a refused command changes nothing"


# What a final state still allows: a corrected written reply, which changes the record, not the state.
RECORD_ONLY = {"revise_written_reply"}


def test_final_states_accept_no_command_that_moves_them():
    for state in (State.CLOSED, State.DECLINED, State.CANCELLED):
        assert not any(state in legal for name, (legal, _) in COMMANDS.items() if name not in RECORD_ONLY)
    declined = case_in(State.DECLINED)
    COMMANDS["revise_written_reply"][1](declined)
    assert declined.state is State.DECLINED and declined.transitions[-1].topic == "case.reply_revised"
