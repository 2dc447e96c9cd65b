"""Random sequences of commands, by random people at random times, never break an invariant."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from hypothesis import event, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from domain.cases.model import Actor, WrittenReply
from domain.cases.states import FINAL, PAUSABLE, Satisfaction, State
from domain.errors import DomainError
from tests.unit.test_case_transitions import AGENT, SUPERVISOR, T0, TECH, VISITOR, new_case

ACTORS = st.sampled_from([AGENT, TECH, SUPERVISOR, VISITOR, Actor(uuid4())])
TEXT = st.sampled_from(["", "  ", "有原因", "长" * 2001])
HOURS = st.integers(min_value=-5, max_value=200)


class CaseMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.case = new_case()
        self.now = T0
        self.broken = 0
        self.final_seen: State | None = None

    def attempt(self, call) -> None:
        before = (self.case.state, len(self.case.transitions), self.case.broken_promises)
        try:
            call()
        except DomainError:
            assert (self.case.state, len(self.case.transitions), self.case.broken_promises) == before

    @rule(satisfaction=st.sampled_from(list(Satisfaction)))
    def advance(self, satisfaction):
        """The next step of the usual path with valid input, so that runs get deep as well as wide."""
        c, now = self.case, self.now
        step = {
            State.RECEIVED: lambda: c.commit(now + timedelta(hours=2), default_due=now + timedelta(hours=6), actor=AGENT, now=now),
            State.COMMITTED: lambda: c.dispatch(assignee_id=TECH.id, department_id=None, actor=AGENT, now=now),
            State.REOPENED: lambda: c.dispatch(assignee_id=TECH.id, department_id=None, actor=AGENT, now=now),
            State.DISPATCHED: lambda: c.accept(actor=TECH, now=now),
            State.ACCEPTED: lambda: c.start(actor=TECH, now=now),
            State.IN_PROGRESS: lambda: c.resume(actor=TECH, now=now) if c.paused_since else c.resolve("完成", actor=TECH, now=now),
            State.RESOLVED: lambda: c.confirm(now=now),
            State.CONFIRMED: lambda: c.return_visit(satisfaction, 4, "回访", visitor=VISITOR, now=now),
            State.REFERRED: lambda: c.referral_answered("街道办已处理", actor=None, now=now),
            State.DECLINE_REQUESTED: lambda: c.deny_decline("请安排", actor=SUPERVISOR, now=now),
        }.get(c.state)
        if step is not None:
            self.attempt(step)

    @rule(hours=st.integers(min_value=0, max_value=72))
    def time_passes(self, hours):
        self.now += timedelta(hours=hours)

    @rule(actor=ACTORS, hours=HOURS, default=st.integers(min_value=1, max_value=100))
    def commit(self, actor, hours, default):
        self.attempt(lambda: self.case.commit(self.now + timedelta(hours=hours), default_due=self.now + timedelta(hours=default),
                                              actor=actor, now=self.now))

    @rule(actor=ACTORS, to_person=st.booleans())
    def dispatch(self, actor, to_person):
        self.attempt(lambda: self.case.dispatch(assignee_id=TECH.id if to_person else None,
                                                department_id=None if to_person else uuid4(), actor=actor, now=self.now))

    @rule(actor=ACTORS, reason=TEXT)
    def undispatchable(self, actor, reason):
        self.attempt(lambda: self.case.report_undispatchable(reason, actor=actor, now=self.now))

    @rule(actor=ACTORS)
    def accept(self, actor):
        self.attempt(lambda: self.case.accept(actor=actor, now=self.now))

    @rule(actor=ACTORS)
    def start(self, actor):
        self.attempt(lambda: self.case.start(actor=actor, now=self.now))

    @rule(actor=ACTORS, reason=TEXT)
    def pause(self, actor, reason):
        self.attempt(lambda: self.case.pause(reason, actor=actor, now=self.now))

    @rule(actor=ACTORS)
    def resume(self, actor):
        self.attempt(lambda: self.case.resume(actor=actor, now=self.now))

    @rule(actor=ACTORS, result=TEXT)
    def resolve(self, actor, result):
        self.attempt(lambda: self.case.resolve(result, actor=actor, now=self.now))

    @rule(actor=ACTORS, apology=TEXT, hours=HOURS)
    def miss_promise(self, actor, apology, hours):
        due = self.case.commitment_due or self.now
        self.attempt(lambda: self.case.miss_promise(apology=apology, reason="缺货", remedy="补偿", new_due=due + timedelta(hours=hours),
                                                    actor=actor, now=self.now))

    @rule()
    def confirm(self):
        self.attempt(lambda: self.case.confirm(now=self.now))

    @rule(reason=TEXT)
    def reject(self, reason):
        self.attempt(lambda: self.case.reject(reason, now=self.now))

    @rule(silence=st.integers(min_value=0, max_value=96))
    def auto_confirm(self, silence):
        self.attempt(lambda: self.case.auto_confirm(now=self.now, silence=timedelta(hours=silence)))

    @rule(visitor=ACTORS, satisfaction=st.sampled_from(list(Satisfaction)), score=st.integers(min_value=0, max_value=6))
    def return_visit(self, visitor, satisfaction, score):
        self.attempt(lambda: self.case.return_visit(satisfaction, score, "回访", visitor=visitor, now=self.now))

    @rule(actor=ACTORS, reason=TEXT, by_resident=st.booleans())
    def cancel(self, actor, reason, by_resident):
        self.attempt(lambda: self.case.cancel(reason, actor=actor, now=self.now, by_resident=by_resident))

    @rule(actor=ACTORS, reason=TEXT)
    def request_decline(self, actor, reason):
        self.attempt(lambda: self.case.request_decline(reason, actor=actor, now=self.now))

    @rule(actor=ACTORS, alternatives=st.lists(st.sampled_from(["", "搬家公司15:00上门"]), max_size=2))
    def approve_decline(self, actor, alternatives):
        self.attempt(lambda: self.case.approve_decline(WrittenReply("原因", "依据", tuple(alternatives)), actor=actor, now=self.now))

    @rule(actor=ACTORS, alternatives=st.lists(st.sampled_from(["", "志愿者周末协助"]), max_size=2))
    def revise_written_reply(self, actor, alternatives):
        self.attempt(lambda: self.case.revise_written_reply(WrittenReply("原因", "依据", tuple(alternatives)), actor=actor, now=self.now))

    @rule(actor=ACTORS, note=TEXT)
    def deny_decline(self, actor, note):
        self.attempt(lambda: self.case.deny_decline(note, actor=actor, now=self.now))

    @rule(actor=ACTORS, reason=TEXT)
    def refer(self, actor, reason):
        self.attempt(lambda: self.case.refer("街道办", reason, actor=actor, now=self.now))

    @rule(outcome=TEXT)
    def referral_answered(self, outcome):
        self.attempt(lambda: self.case.referral_answered(outcome, actor=None, now=self.now))

    @invariant()
    def reached(self):
        event(f"state {self.case.state.value}")  # --hypothesis-show-statistics shows how deep runs go

    @invariant()
    def first_receiver_never_changes(self):
        assert self.case.first_receiver_id == AGENT.id

    @invariant()
    def history_is_consistent(self):
        states = [t.to_state for t in self.case.transitions]
        assert states[-1] is self.case.state
        for prev, t in zip(self.case.transitions, self.case.transitions[1:], strict=False):
            assert t.from_state is prev.to_state

    @invariant()
    def final_states_are_final(self):
        if self.final_seen is not None:
            assert self.case.state is self.final_seen
        if self.case.state in FINAL:
            self.final_seen = self.case.state

    @invariant()
    def promises_only_accumulate(self):
        assert self.case.broken_promises >= self.broken
        self.broken = self.case.broken_promises

    @invariant()
    def rules_hold(self):
        c = self.case
        assert 1 <= c.rework_level <= 3
        if c.paused_since is not None:
            assert c.state in PAUSABLE
        if c.state not in (State.RECEIVED, State.DECLINE_REQUESTED, State.DECLINED, State.CANCELLED, State.REFERRED):
            assert c.commitment_due is not None, "past intake, every case carries a commitment"
        if c.state is State.CLOSED:
            assert c.visited_by is not None and c.visited_by != c.handler_id
            assert c.satisfaction is not Satisfaction.DISSATISFIED
        if c.state is State.DECLINED:
            assert c.written_reply is not None and c.written_reply.alternatives
            assert any(t.topic == "case.declined" and t.actor_id == SUPERVISOR.id for t in c.transitions)
        if c.state in (State.ACCEPTED, State.IN_PROGRESS):
            assert c.assignee_id is not None
        if c.state is State.RESOLVED:
            last = c.transitions[-1]
            assert last.data.get("by_referral") or last.actor_id == c.assignee_id == c.handler_id


CaseMachine.TestCase.settings = settings(max_examples=200, stateful_step_count=50, deadline=None)
TestCaseInvariants = CaseMachine.TestCase
