"""The case aggregate: every command checks the rules of DESIGN §3 and records what happened
(the transition for the audit log, the event for the outbox). No database, no clock of its own:
callers pass `now`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from domain.cases.states import (
    OPEN_BEFORE_WORK, PAUSABLE, STATE_LABELS, CaseKind, Channel, Satisfaction, Severity, State,
)
from domain.errors import DomainError, ErrorCode, forbidden, invalid
from domain.unit_of_work import Aggregate

MAX_TEXT = 2000
# What a new case may carry, whoever registers it (domain/cases/intake.py checks it).
MAX_DESCRIPTION = 5000
MAX_PUBLIC_AREA = 200
MAX_PHOTOS = 20
MAX_PHOTO_REF = 1000
# A request taken by someone else (a relayed call, a note from the lobby) may be entered later
# with the time it was taken — within a day, and not ahead of the server beyond clock skew.
RELAY_WINDOW = timedelta(hours=24)
CLOCK_SKEW = timedelta(minutes=2)


# The states each command may start from — the one table the commands check and
# `domain/cases/actions.py` offers from, so what is offered cannot drift from what is allowed.
_WORKING = frozenset({State.COMMITTED, State.DISPATCHED, State.ACCEPTED, State.IN_PROGRESS, State.REOPENED})
ALLOWED_FROM: dict[str, frozenset[State]] = {
    "commit": frozenset({State.RECEIVED}),
    "link_repeat": frozenset({State.RECEIVED, State.COMMITTED}),
    "dispatch": frozenset({State.COMMITTED, State.REOPENED, State.DISPATCHED, State.ACCEPTED}),
    "report_undispatchable": frozenset({State.COMMITTED, State.REOPENED, State.DISPATCHED}),
    "accept": frozenset({State.DISPATCHED}),
    "start": frozenset({State.ACCEPTED}),
    "pause": PAUSABLE,
    "resume": frozenset(State),  # only the pause matters (PAUSE_RULE); leaving PAUSABLE ends it
    "resolve": frozenset({State.ACCEPTED, State.IN_PROGRESS}),
    "miss_promise": _WORKING,
    "confirm": frozenset({State.RESOLVED}),
    "reject": frozenset({State.RESOLVED}),
    "auto_confirm": frozenset({State.RESOLVED}),
    "return_visit": frozenset({State.CONFIRMED}),
    "cancel": OPEN_BEFORE_WORK,
    "request_decline": OPEN_BEFORE_WORK,
    "approve_decline": frozenset({State.DECLINE_REQUESTED}),
    "revise_written_reply": frozenset({State.DECLINED}),
    "deny_decline": frozenset({State.DECLINE_REQUESTED}),
    "refer": _WORKING,
    "referral_answered": frozenset({State.REFERRED}),
    "take_back": frozenset({State.REFERRED}),
}
# Commands that need the case waiting on the resident (True) or not (False); others do not care.
PAUSE_RULE: dict[str, bool] = {"pause": False, "resume": True, "resolve": False}


def state_allows(command: str, state: State, paused: bool) -> bool:
    """Whether `command` may run on a case in `state` (waiting on the resident or not) — the
    INVALID_STATE rule; who may run it is checked by the command and the caller."""
    rule = PAUSE_RULE.get(command)
    return state in ALLOWED_FROM[command] and (rule is None or rule == paused)


def taken_at(received_at: datetime | None, now: datetime) -> datetime:
    """When the request was taken: `received_at` if given and within the window, else now."""
    if received_at is None:
        return now
    if received_at > now + CLOCK_SKEW:
        raise DomainError(ErrorCode.OUT_OF_WINDOW, "受理时间 receivedAt 不能晚于现在，请填写实际接到诉求的时间。"
                                                   "receivedAt is in the future; give the time the request was taken.",
                          "receivedAt")
    if received_at < now - RELAY_WINDOW:
        raise DomainError(ErrorCode.OUT_OF_WINDOW, "受理时间最早只能是 24 小时前；更早的诉求请现在登记，并在描述中注明接到的时间。"
                                                   "receivedAt may be at most 24 hours ago; register an older request "
                          "now and say in the description when it was taken.", "receivedAt")
    return min(received_at, now)


@dataclass(frozen=True)
class Actor:
    """Who acts. `supervisor`: may approve declines, loosen commitments and cancel (cs_supervisor
    and above); the caller maps roles to it."""

    id: UUID
    supervisor: bool = False


@dataclass(frozen=True)
class WrittenReply:
    """书面答复: required to decline. Alternatives name what the resident can do instead."""

    reason: str
    basis: str
    alternatives: tuple[str, ...]


@dataclass(frozen=True)
class Transition:
    topic: str
    from_state: State | None
    to_state: State
    actor_id: UUID | None
    at: datetime
    note: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


def _text(value: str, name: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise invalid(f"「{name}」不能为空。{name} must not be empty.", name)
    if len(value) > MAX_TEXT:
        raise invalid(f"「{name}」最多 {MAX_TEXT} 个字符。{name} may have at most {MAX_TEXT} characters.", name)
    return value


def checked_intake(description: str, public_area: str | None, photos: tuple[str, ...]) -> tuple[str, str | None, tuple[str, ...]]:
    """A new case's description (required), place and photo references, trimmed and within the
    intake limits; the field names are the API's, as a client reads them."""
    description = (description or "").strip()
    if not description:
        raise invalid("描述不能为空。description must not be empty.", "description")
    if len(description) > MAX_DESCRIPTION:
        raise invalid(f"描述最多 {MAX_DESCRIPTION} 个字符。description may have at most {MAX_DESCRIPTION} characters.", "description")
    if len(photos) > MAX_PHOTOS or any(len(p) > MAX_PHOTO_REF for p in photos):
        raise invalid("照片最多 20 张，每个引用不超过 1000 个字符。At most 20 photo references of at most 1,000 characters each.", "photos")
    area = (public_area or "").strip() or None
    if area and len(area) > MAX_PUBLIC_AREA:
        raise invalid(f"公共区域最多 {MAX_PUBLIC_AREA} 个字符。publicArea may have at most {MAX_PUBLIC_AREA} characters.", "publicArea")
    return description, area, tuple(photos)


def _checked_reply(reply: WrittenReply) -> WrittenReply:
    alternatives = tuple(a.strip() for a in reply.alternatives if a and a.strip())
    if not alternatives:
        raise invalid("书面答复须至少向住户提供一个替代方案。"
                      "A written reply must offer the resident at least one alternative.", "alternatives")
    if any(len(a) > MAX_TEXT for a in alternatives):
        raise invalid(f"每个替代方案最多 {MAX_TEXT} 个字符。Each alternative may have at most {MAX_TEXT} characters.", "alternatives")
    return WrittenReply(_text(reply.reason, "reason"), _text(reply.basis, "basis"), alternatives)


def _reply_data(reply: WrittenReply) -> dict[str, Any]:
    return {"reason": reply.reason, "basis": reply.basis, "alternatives": list(reply.alternatives)}


@dataclass
class Case(Aggregate):
    """The case as its rules see it. `transitions` are what its commands did; the repository turns
    each into an audit entry and an event (`audit`, `events`) as it saves the case."""

    id: UUID
    org_id: UUID
    project_id: UUID
    kind: CaseKind
    severity: Severity
    channel: Channel
    first_receiver_id: UUID
    received_at: datetime
    state: State = State.RECEIVED
    commitment_due: datetime | None = None
    assignee_id: UUID | None = None
    department_id: UUID | None = None
    handler_id: UUID | None = None
    paused_since: datetime | None = None
    paused_total: timedelta = timedelta(0)
    resolved_at: datetime | None = None
    confirmed_at: datetime | None = None
    auto_confirmed: bool = False
    reopen_count: int = 0
    rework_level: int = 1
    broken_promises: int = 0
    repeat_of: UUID | None = None
    decline_from: State | None = None
    written_reply: WrittenReply | None = None
    satisfaction: Satisfaction | None = None
    visit_score: int | None = None
    visited_by: UUID | None = None
    visit_channel: str = "staff"  # staff | resident: who made the return visit (the resident rates it in an owner app)
    transitions: list[Transition] = field(default_factory=list)

    # -- intake -------------------------------------------------------------------------------

    @classmethod
    def register(cls, *, org_id: UUID, project_id: UUID, kind: CaseKind, severity: Severity, channel: Channel,
                 receiver: Actor, now: datetime, case_id: UUID | None = None, received_at: datetime | None = None) -> Case:
        """首问责任制: whoever registers the case is its first receiver. Its clocks start when the
        request was taken (`received_at`, see `taken_at`), not when it was entered."""
        at = taken_at(received_at, now)
        case = cls(id=case_id or uuid.uuid4(), org_id=org_id, project_id=project_id, kind=kind, severity=severity,
                   channel=channel, first_receiver_id=receiver.id, received_at=at)
        case._record("case.received", None, State.RECEIVED, receiver, at, data={"channel": channel.value})
        return case

    def commit(self, due: datetime | None, *, default_due: datetime, actor: Actor, now: datetime) -> None:
        """承诺: every case gets a deadline, by default the policy's resolution deadline
        (`default_due`); a later one loosens the policy and needs a supervisor."""
        self._require_for("commit", verb="committed")
        if due is None:
            if default_due <= now:
                raise invalid(f"时限规则的解决期限（{default_due:%Y-%m-%d %H:%M} UTC）已过：请给出承诺时间；晚于规则期限的承诺须主管批准。"
                              f"The policy's resolution deadline ({default_due:%Y-%m-%d %H:%M} UTC) has passed: "
                              "give a due; a supervisor must approve one later than the policy's.", "due")
            due = default_due
        if due <= now:
            raise invalid("承诺时间须晚于现在。The commitment must be in the future.", "due")
        if due > default_due and not actor.supervisor:
            raise forbidden("晚于时限规则期限的承诺须由主管作出。A commitment later than the policy's deadline needs a supervisor.")
        self.commitment_due = due
        self._move("case.committed", State.COMMITTED, actor, now, data={"due": due.isoformat()})

    def link_repeat(self, earlier_case_id: UUID, earlier_project_id: UUID, *, actor: Actor, now: datetime) -> None:
        """The same demand without new facts: linked to the earlier case of the same project,
        counted as a repeat."""
        self._require_for("link_repeat", verb="linked as a repeat")
        if earlier_case_id == self.id:
            raise invalid("工单不能标记为自身的重复。A case cannot repeat itself.", "earlierCaseId")
        if earlier_project_id != self.project_id:
            raise invalid("重复工单只能关联同一项目中较早的工单。"
                          "A repeat can only be linked to an earlier case of the same project.", "earlierCaseId")
        self.repeat_of = earlier_case_id
        self._record("case.linked_repeat", self.state, self.state, actor, now, data={"earlier_case_id": str(earlier_case_id)})

    # -- dispatch and work ----------------------------------------------------------------------

    def dispatch(self, *, assignee_id: UUID | None, department_id: UUID | None, actor: Actor, now: datetime) -> None:
        self._require_for("dispatch", verb="dispatched")
        if assignee_id is None and department_id is None:
            raise invalid("请派单给一个人或一个部门。Dispatch to a person or a department.", "assigneeId")
        self.assignee_id, self.department_id = assignee_id, department_id
        self._move("case.dispatched", State.DISPATCHED, actor, now,
                   data={"assignee_id": str(assignee_id) if assignee_id else None,
                         "department_id": str(department_id) if department_id else None})

    def report_undispatchable(self, reason: str, *, actor: Actor, now: datetime) -> None:
        """"We have nobody" is not an answer: the case stays open and climbs the ladder."""
        self._require_for("report_undispatchable", verb="reported as undispatchable")
        self._record("case.undispatchable", self.state, self.state, actor, now, note=_text(reason, "reason"),
                     data={"escalate_to_level": max(1, self.rework_level)})

    def accept(self, *, actor: Actor, now: datetime) -> None:
        self._require_for("accept", verb="accepted")
        if self.assignee_id is not None and self.assignee_id != actor.id:
            raise forbidden("只有被派单的人才能接单。Only the person the case was dispatched to can accept it.")
        self.assignee_id = actor.id
        self._move("case.accepted", State.ACCEPTED, actor, now)

    def start(self, *, actor: Actor, now: datetime) -> None:
        """到场: the handler is on site."""
        self._require_for("start", verb="started")
        self._require_assignee(actor)
        self._move("case.started", State.IN_PROGRESS, actor, now)

    def pause(self, reason: str, *, actor: Actor, now: datetime) -> None:
        """Waiting on the resident (access to the flat, parts they choose): the clock stops."""
        self._require_for("pause", verb="paused")
        if self.paused_since is not None:
            raise DomainError(ErrorCode.INVALID_STATE, "工单已暂停计时，正在等待住户。The case is already waiting on the resident.")
        self.paused_since = now
        self._record("case.paused", self.state, self.state, actor, now, note=_text(reason, "reason"))

    def resume(self, *, actor: Actor, now: datetime) -> None:
        if self.paused_since is None:
            raise DomainError(ErrorCode.INVALID_STATE, "工单未暂停计时，没有在等待住户。The case is not waiting on the resident.")
        waited = max(now - self.paused_since, timedelta(0))
        self.paused_total += waited
        self.paused_since = None
        if self.commitment_due is not None:  # the resident's wait does not break our promise
            self.commitment_due += waited
        self._record("case.resumed", self.state, self.state, actor, now, data={"waited_seconds": int(waited.total_seconds())})

    def resolve(self, result: str, *, actor: Actor, now: datetime, photos: tuple[str, ...] = ()) -> None:
        self._require_for("resolve", verb="resolved")
        self._require_assignee(actor)
        if self.paused_since is not None:
            raise DomainError(ErrorCode.INVALID_STATE, "请先恢复计时，再完工。Resume the case before resolving it.")
        self.handler_id, self.resolved_at = actor.id, now
        self._move("case.resolved", State.RESOLVED, actor, now, note=_text(result, "result"), data={"photos": list(photos)})

    def miss_promise(self, *, apology: str, reason: str, remedy: str, new_due: datetime, actor: Actor, now: datetime) -> None:
        """致歉与补救: a commitment that will be missed needs all four, and counts as broken."""
        self._require_for("miss_promise", verb="given a new commitment")
        texts = {"apology": _text(apology, "apology"), "reason": _text(reason, "reason"), "remedy": _text(remedy, "remedy")}
        if self.commitment_due is None or new_due <= max(now, self.commitment_due):
            raise invalid("新的承诺时间须晚于现在和原承诺时间。"
                          "The new commitment must be later than both now and the one being missed.", "newDue")
        self.broken_promises += 1
        old, self.commitment_due = self.commitment_due, new_due
        self._record("case.promise_broken", self.state, self.state, actor, now,
                     data={**texts, "old_due": old.isoformat(), "new_due": new_due.isoformat()})

    # -- the resident's word and the return visit -----------------------------------------------

    def confirm(self, *, now: datetime, actor: Actor | None = None) -> None:
        self._require_for("confirm", verb="confirmed")
        self.confirmed_at, self.auto_confirmed = now, False
        self._move("case.confirmed", State.CONFIRMED, actor, now)

    def reject(self, reason: str, *, now: datetime, actor: Actor | None = None) -> None:
        """The resident says it is not done: the case reopens."""
        self._require_for("reject", verb="rejected")
        self.reopen_count += 1
        self._move("case.reopened", State.REOPENED, actor, now, note=_text(reason, "reason"),
                   data={"reopen_count": self.reopen_count})

    def auto_confirm(self, *, now: datetime, silence: timedelta) -> None:
        """Silence confirms after the configured time, marked as automatic."""
        self._require_for("auto_confirm", verb="confirmed")
        assert self.resolved_at is not None
        if now - self.resolved_at < silence:
            raise DomainError(ErrorCode.INVALID_STATE, "住户仍在确认期限内。The resident still has time to answer.")
        self.confirmed_at, self.auto_confirmed = now, True
        self._move("case.confirmed", State.CONFIRMED, None, now, data={"automatic": True})

    def return_visit(self, satisfaction: Satisfaction, score: int, comment: str, *, visitor: Actor, now: datetime,
                     channel: str = "staff") -> None:
        """回访 by someone other than the handler — staff, or the resident rating it (`channel`
        resident). Dissatisfied: rework at L2, then L3."""
        self._require_for("return_visit", verb="visited back")
        if visitor.id == self.handler_id:
            raise forbidden("回访须由处理人以外的人进行。The return visit must be made by someone other than the handler.")
        if not 1 <= score <= 5:
            raise invalid("评分须在 1 到 5 之间。score must be between 1 and 5.", "score")
        comment = _text(comment, "comment", required=False)
        self.satisfaction, self.visit_score, self.visited_by = satisfaction, score, visitor.id
        self.visit_channel = channel
        data = {"satisfaction": satisfaction.value, "score": score}
        if satisfaction is not Satisfaction.DISSATISFIED:
            self._move("case.closed", State.CLOSED, visitor, now, note=comment or None, data=data)
            return
        self.rework_level = min(3, self.rework_level + 1)
        self.reopen_count += 1
        self._move("case.rework", State.REOPENED, visitor, now, note=comment or None,
                   data={**data, "rework_level": self.rework_level, "escalate_to_level": self.rework_level})

    # -- ways out before the work -----------------------------------------------------------------

    def cancel(self, reason: str, *, actor: Actor, now: datetime, by_resident: bool = False) -> None:
        """Withdrawn by the resident, or cancelled by a supervisor — never a front-line refusal."""
        self._require_for("cancel", verb="cancelled")
        if not (by_resident or actor.supervisor):
            raise forbidden("只有业主撤诉或主管才能撤销工单。Only the resident's withdrawal or a supervisor can cancel a case.")
        self._move("case.cancelled", State.CANCELLED, actor, now, note=_text(reason, "reason"), data={"by_resident": by_resident})

    def request_decline(self, reason: str, *, actor: Actor, now: datetime) -> None:
        """Front-line staff cannot refuse; they can ask a supervisor to decline."""
        self._require_for("request_decline", verb="put forward for declining")
        self.decline_from = self.state
        self._move("case.decline_requested", State.DECLINE_REQUESTED, actor, now, note=_text(reason, "reason"))

    def approve_decline(self, reply: WrittenReply, *, actor: Actor, now: datetime) -> None:
        self._require_for("approve_decline", verb="declined")
        if not actor.supervisor:
            raise forbidden("婉拒须经客服主管批准。Declining needs a customer-service supervisor's approval.")
        self.written_reply = _checked_reply(reply)
        self._move("case.declined", State.DECLINED, actor, now, data=_reply_data(self.written_reply))

    def revise_written_reply(self, reply: WrittenReply, *, actor: Actor, now: datetime) -> None:
        """A corrected reply is a new version; the one the resident may already hold stays on file."""
        self._require_for("revise_written_reply", verb="given a revised written reply")
        if not actor.supervisor:
            raise forbidden("只有主管才能修改书面答复。Only a supervisor can revise a written reply.")
        self.written_reply = _checked_reply(reply)
        self._record("case.reply_revised", self.state, self.state, actor, now, data=_reply_data(self.written_reply))

    def deny_decline(self, note: str, *, actor: Actor, now: datetime) -> None:
        self._require_for("deny_decline", verb="sent back")
        if not actor.supervisor:
            raise forbidden("只有主管才能批准或驳回婉拒。Only a supervisor decides on a decline.")
        back, self.decline_from = self.decline_from or State.RECEIVED, None
        self._move("case.decline_denied", back, actor, now, note=_text(note, "note"))

    def refer(self, body: str, reason: str, *, actor: Actor, now: datetime) -> None:
        """转办 to an outside body; the case waits on it. Committed first: the resident is promised
        when they will hear back, and the referral pauses that clock."""
        self._require_for("refer", verb="referred")
        self._move("case.referred", State.REFERRED, actor, now, note=_text(reason, "reason"), data={"body": _text(body, "body")})

    def referral_answered(self, outcome: str, *, actor: Actor | None, now: datetime) -> None:
        """The outside body's outcome stands as the result; the resident confirms it as any other."""
        self._require_for("referral_answered", verb="answered")
        self.resolved_at = now
        self._move("case.resolved", State.RESOLVED, actor, now, note=_text(outcome, "outcome"), data={"by_referral": True})

    def take_back(self, reason: str, *, referred_at: datetime, actor: Actor | None, now: datetime) -> None:
        """撤回转办: we take the case back from the outside body; it is ours again as committed,
        and the clocks the referral paused run on — the promise too, by the time it waited."""
        self._require_for("take_back", verb="taken back")
        if self.commitment_due is not None:
            self.commitment_due += max(now - referred_at, timedelta(0))
        self._move("case.referral_withdrawn", State.COMMITTED, actor, now, note=_text(reason, "reason"))

    # -- helpers ------------------------------------------------------------------------------------

    def _require_for(self, command: str, *, verb: str) -> None:
        if self.state not in ALLOWED_FROM[command]:
            raise DomainError(ErrorCode.INVALID_STATE,
                              f"工单当前为「{STATE_LABELS[self.state]}」，不能执行此操作。"
                              f"A case that is {STATE_LABELS[self.state]} cannot be {verb}.")

    def _require_assignee(self, actor: Actor) -> None:
        if self.assignee_id != actor.id:
            raise forbidden("只有指派的处理人才能执行此操作。Only the assigned handler can do this.")

    def _move(self, topic: str, to: State, actor: Actor | None, now: datetime, *, note: str | None = None,
              data: dict[str, Any] | None = None) -> None:
        if to not in PAUSABLE:
            self.paused_since = None
        self._record(topic, self.state, to, actor, now, note=note, data=data)
        self.state = to

    def _record(self, topic: str, from_state: State | None, to_state: State, actor: Actor | None, now: datetime, *,
                note: str | None = None, data: dict[str, Any] | None = None) -> None:
        self.transitions.append(Transition(topic, from_state, to_state, actor.id if actor else None, now, note, data or {}))
