"""下一步: what the state offers is exactly what the model's commands accept — for every state,
waiting on the resident or not, and every action — and who is offered it follows the person
rules the commands enforce."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.cases.actions import CaseAction, allowed_by_state, available_actions
from domain.cases.model import Actor, Case, WrittenReply
from domain.cases.states import CaseKind, Channel, Satisfaction, Severity, State
from domain.errors import DomainError, ErrorCode
from tenants.roles import ROLE_PERMISSIONS, Role

T0 = datetime(2026, 11, 22, 12, 40, tzinfo=UTC)
# One person who is the assignee and a supervisor, so only the state can refuse a command.
ME = Actor(uuid4(), supervisor=True)
HANDLER = uuid4()
PROJECT = uuid4()
REPLY = WrittenReply("不属于物业服务范围", "《物业服务合同》第十二条", ("搬家公司可15:00上门，收费200元",))

COMMANDS = {
    CaseAction.COMMIT: lambda c: c.commit(None, default_due=T0 + timedelta(hours=6), actor=ME, now=T0),
    CaseAction.LINK_REPEAT: lambda c: c.link_repeat(uuid4(), PROJECT, actor=ME, now=T0),
    CaseAction.DISPATCH: lambda c: c.dispatch(assignee_id=ME.id, department_id=None, actor=ME, now=T0),
    CaseAction.REPORT_UNDISPATCHABLE: lambda c: c.report_undispatchable("无人可派", actor=ME, now=T0),
    CaseAction.ACCEPT: lambda c: c.accept(actor=ME, now=T0),
    CaseAction.START: lambda c: c.start(actor=ME, now=T0),
    CaseAction.PAUSE: lambda c: c.pause("等业主在家", actor=ME, now=T0),
    CaseAction.RESUME: lambda c: c.resume(actor=ME, now=T0),
    CaseAction.RESOLVE: lambda c: c.resolve("已修好", actor=ME, now=T0),
    CaseAction.MISS_PROMISE: lambda c: c.miss_promise(apology="抱歉", reason="缺货", remedy="先临时处理",
                                                      new_due=T0 + timedelta(days=2), actor=ME, now=T0),
    CaseAction.CONFIRM: lambda c: c.confirm(now=T0, actor=ME),
    CaseAction.REJECT: lambda c: c.reject("没修好", now=T0, actor=ME),
    CaseAction.RETURN_VISIT: lambda c: c.return_visit(Satisfaction.SATISFIED, 5, "", visitor=ME, now=T0),
    CaseAction.CANCEL: lambda c: c.cancel("业主撤回", actor=ME, now=T0),
    CaseAction.REQUEST_DECLINE: lambda c: c.request_decline("超出服务范围", actor=ME, now=T0),
    CaseAction.APPROVE_DECLINE: lambda c: c.approve_decline(REPLY, actor=ME, now=T0),
    CaseAction.DENY_DECLINE: lambda c: c.deny_decline("应当办理", actor=ME, now=T0),
    CaseAction.REFER: lambda c: c.refer("街道办", "违章搭建", actor=ME, now=T0),
}
assert set(COMMANDS) == set(CaseAction)


def case_in(state: State, paused: bool) -> Case:
    return Case(id=uuid4(), org_id=uuid4(), project_id=PROJECT, kind=CaseKind.REPAIR, severity=Severity.GENERAL,
                channel=Channel.PHONE, first_receiver_id=uuid4(), received_at=T0 - timedelta(hours=1), state=state,
                commitment_due=T0 + timedelta(hours=1), assignee_id=ME.id, handler_id=HANDLER,
                resolved_at=T0 - timedelta(minutes=5), paused_since=T0 - timedelta(minutes=10) if paused else None)


@pytest.mark.parametrize("paused", [False, True], ids=["running", "paused"])
@pytest.mark.parametrize("state", list(State))
def test_the_state_offers_exactly_what_the_command_accepts(state: State, paused: bool) -> None:
    offered = set(allowed_by_state(state, paused))
    for action, command in COMMANDS.items():
        try:
            command(case_in(state, paused))
            refused = None
        except DomainError as e:
            refused = e.code
        if action in offered:
            assert refused is None, f"{action} is offered in {state} (paused={paused}) but the command refused: {refused}"
        else:
            assert refused is ErrorCode.INVALID_STATE, f"{action} is not offered in {state} (paused={paused}) but {refused}"


def offered(state: State, role: Role, *, viewer=ME.id, assignee=ME.id, handler=HANDLER, paused=False) -> set[CaseAction]:
    return set(available_actions(state, paused=paused, assignee_id=assignee, handler_id=handler, viewer_id=viewer,
                                 permissions=ROLE_PERMISSIONS[role]))


def test_the_assignee_rules() -> None:
    other = uuid4()
    assert CaseAction.ACCEPT in offered(State.DISPATCHED, Role.TECHNICIAN, assignee=None)
    assert CaseAction.ACCEPT in offered(State.DISPATCHED, Role.TECHNICIAN)
    assert CaseAction.ACCEPT not in offered(State.DISPATCHED, Role.TECHNICIAN, assignee=other)
    assert CaseAction.START in offered(State.ACCEPTED, Role.TECHNICIAN)
    assert CaseAction.START not in offered(State.ACCEPTED, Role.TECHNICIAN, assignee=other)
    assert CaseAction.RESOLVE not in offered(State.IN_PROGRESS, Role.TECHNICIAN, assignee=other)
    assert CaseAction.RESOLVE not in offered(State.IN_PROGRESS, Role.TECHNICIAN, paused=True)
    assert CaseAction.RESUME in offered(State.IN_PROGRESS, Role.TECHNICIAN, paused=True)


def test_the_return_visit_is_never_offered_to_the_handler() -> None:
    assert CaseAction.RETURN_VISIT in offered(State.CONFIRMED, Role.CS_SUPERVISOR)
    assert CaseAction.RETURN_VISIT not in offered(State.CONFIRMED, Role.CS_SUPERVISOR, handler=ME.id)


def test_a_permission_missing_on_the_project_offers_nothing_it_gates() -> None:
    assert offered(State.DECLINE_REQUESTED, Role.CS_AGENT) == set()  # deciding a decline is a supervisor's
    assert offered(State.DECLINE_REQUESTED, Role.CS_SUPERVISOR) == {CaseAction.APPROVE_DECLINE, CaseAction.DENY_DECLINE}
    assert available_actions(State.RECEIVED, paused=False, assignee_id=None, handler_id=None, viewer_id=ME.id,
                             permissions=frozenset()) == []
