"""Case use cases: registering a case and every transition a person makes, one function per
command, run in the caller's unit of work. A transition is always the same walk (`_change`):
claim the idempotency key, load the case locked, check the permission on its project, apply the
rule of domain/cases/model.py, save; the unit of work writes the audit rows and events at commit,
the transition's own event before those it causes (an escalation, a missing calendar).

The request a key is matched against is built from the input as the client sent it — the case's
global id as `caseId` and the operation's own fields — so a key stored before keeps matching. Its
stored result is `{"case_id": …}`."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from domain.cases import intake
from domain.cases.commands import (
    AcceptCase, ApproveDecline, CancelCase, ChangeCase, CommitCase, ConfirmCase, DenyDecline, DispatchCase, LinkRepeatCase,
    MissPromise, PauseCase, ReceiveCase, RejectCase, ReportUndispatchable, RequestDecline, ResolveCase, ResumeCase, ReturnVisit,
    ReviseWrittenReply, StartCase,
)
from domain.cases.model import Actor, Case, WrittenReply
from domain.cases.repository import CaseRepository
from domain.errors import invalid, not_found
from domain.roster import repository as roster
from domain.roster.model import OnDuty, propose
from domain.sla.repository import SlaRecorder
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission

NOBODY = "无人值班 Nobody on duty"
KEPT = 20  # photos and alternatives beyond these are dropped, not refused

# The rule applied to the locked case; it may read more first (the policy, the roster, another case).
Rule = Callable[[Case, Actor, datetime], Awaitable[None] | None]


async def register_case(cmd: ReceiveCase, uow: UnitOfWork) -> UUID:
    """登记工单 through the one intake path; whoever registers it is its first receiver (首问)."""
    async with uow:
        uow.require(Permission.CASE_CREATE, cmd.case.project_id)
        if (done := await uow.claim(cmd.idempotency_key, "registerCase", _as_sent(cmd))) is not None:
            return UUID(done["case_id"])
        registered = await intake.register(CaseRepository(uow), cmd.case, org_id=uow.org_id, receiver=Actor(cmd.receiver_id),
                                           now=datetime.now(UTC))
        await uow.commit({"case_id": str(registered.case.id)})
    return registered.case.id


def _as_sent(cmd: ReceiveCase) -> dict[str, Any]:
    """registerCase's input field by field, as the client sent it."""
    c = cmd.case
    return {"project_id": cmd.project_ref, "kind": c.kind.value, "channel": c.channel.value, "category": c.category_code,
            "description": c.description, "severity": c.severity.value, "unit_id": cmd.unit_ref, "public_area": c.public_area,
            "reporter_resident_id": cmd.resident_ref, "photos": list(c.photos) if cmd.photos_sent else None,
            "received_at": c.received_at,
            # Only when sent: a key stored before the field existed still matches its retry.
            **({"praised_user_ids": list(cmd.praised_refs)} if cmd.praised_refs else {})}


# -- before the work: the promise, a repeat, dispatch ---------------------------------------------


async def commit_case(cmd: CommitCase, uow: UnitOfWork) -> UUID:
    """承诺: `due`, or the deadline of the case's SLA policy."""
    async def commit(case: Case, actor: Actor, now: datetime) -> None:
        default_due = await SlaRecorder(uow.conn).policy_deadline(case)
        case.commit(cmd.due, default_due=default_due, actor=actor, now=now)

    return await _change(uow, cmd, "commitCase", Permission.CASE_COMMIT, {"due": cmd.due}, commit)


async def link_repeat_case(cmd: LinkRepeatCase, uow: UnitOfWork) -> UUID:
    """重复诉求: linked to an earlier case the caller can see (the rule wants it in the same project)."""
    async def link(case: Case, actor: Actor, now: datetime) -> None:
        project = await CaseRepository(uow).project_of(cmd.earlier_case_id)
        if project is None:
            raise not_found("The earlier case", "earlierCaseId", zh="较早的工单")
        case.link_repeat(cmd.earlier_case_id, project, actor=actor, now=now)

    return await _change(uow, cmd, "linkRepeatCase", Permission.CASE_COMMIT, {"earlierCaseId": cmd.earlier_case_ref}, link)


@dataclass(frozen=True)
class Dispatched:
    case_id: UUID
    # Who was on duty and got it, when asked for. None: nobody was — the case stays open and has
    # escalated — or the idempotency key answered an earlier request, whose choice is not kept.
    on_duty: OnDuty | None = None


async def dispatch_case(cmd: DispatchCase, uow: UnitOfWork) -> Dispatched:
    """派单 to a person or a department; or to whoever is on duty (of the department, if named)
    with the fewest open cases — and if nobody is, never a silent dead end: the attempt itself
    climbs the ladder."""
    if cmd.on_duty and cmd.assignee_id:
        raise invalid("请指定人员或派给值班人员，二者只能选其一。Name the person or ask for whoever is on duty, not both.", "onDuty")
    chosen: list[OnDuty] = []

    async def dispatch(case: Case, actor: Actor, now: datetime) -> None:
        if not cmd.on_duty:
            case.dispatch(assignee_id=cmd.assignee_id, department_id=cmd.department_id, actor=actor, now=now)
            return
        kind = await roster.department_kind_of_case(uow.conn, uow.org_id, case.id)
        candidates = propose(await roster.on_duty(uow.conn, uow.org_id, case.project_id, now), kind)
        chosen.extend(c for c in candidates if cmd.department_id in (None, c.department_id))
        if chosen:
            case.dispatch(assignee_id=chosen[0].user_id, department_id=chosen[0].department_id, actor=actor, now=now)
        else:
            case.report_undispatchable(NOBODY, actor=actor, now=now)

    sent = {"assigneeId": cmd.assignee_ref, "departmentId": cmd.department_ref, "onDuty": cmd.on_duty}
    case_id = await _change(uow, cmd, "dispatchCase", Permission.CASE_DISPATCH, sent, dispatch)
    return Dispatched(case_id, chosen[0] if chosen else None)


async def report_undispatchable(cmd: ReportUndispatchable, uow: UnitOfWork) -> UUID:
    return await _change(uow, cmd, "reportUndispatchable", Permission.CASE_DISPATCH, {"reason": cmd.reason},
                         lambda case, actor, now: case.report_undispatchable(cmd.reason, actor=actor, now=now))


# -- the work ------------------------------------------------------------------------------------


async def accept_case(cmd: AcceptCase, uow: UnitOfWork) -> UUID:
    return await _change(uow, cmd, "acceptCase", Permission.CASE_WORK, {},
                         lambda case, actor, now: case.accept(actor=actor, now=now))


async def start_case(cmd: StartCase, uow: UnitOfWork) -> UUID:
    return await _change(uow, cmd, "startCase", Permission.CASE_WORK, {},
                         lambda case, actor, now: case.start(actor=actor, now=now))


async def pause_case(cmd: PauseCase, uow: UnitOfWork) -> UUID:
    return await _change(uow, cmd, "pauseCase", Permission.CASE_WORK, {"reason": cmd.reason},
                         lambda case, actor, now: case.pause(cmd.reason, actor=actor, now=now))


async def resume_case(cmd: ResumeCase, uow: UnitOfWork) -> UUID:
    return await _change(uow, cmd, "resumeCase", Permission.CASE_WORK, {},
                         lambda case, actor, now: case.resume(actor=actor, now=now))


async def resolve_case(cmd: ResolveCase, uow: UnitOfWork) -> UUID:
    return await _change(uow, cmd, "resolveCase", Permission.CASE_WORK, {"result": cmd.result, "photos": list(cmd.photos)},
                         lambda case, actor, now: case.resolve(cmd.result, actor=actor, now=now, photos=cmd.photos[:KEPT]))


async def miss_promise(cmd: MissPromise, uow: UnitOfWork) -> UUID:
    sent = {"apology": cmd.apology, "reason": cmd.reason, "remedy": cmd.remedy, "newDue": cmd.new_due}
    return await _change(uow, cmd, "missPromise", Permission.CASE_DISPATCH, sent,
                         lambda case, actor, now: case.miss_promise(apology=cmd.apology, reason=cmd.reason, remedy=cmd.remedy,
                                                                    new_due=cmd.new_due, actor=actor, now=now))


# -- the resident's word and the return visit ------------------------------------------------------


async def confirm_case(cmd: ConfirmCase, uow: UnitOfWork) -> UUID:
    return await _change(uow, cmd, "confirmCase", Permission.CASE_FOLLOW_UP, {},
                         lambda case, actor, now: case.confirm(now=now, actor=actor))


async def reject_case(cmd: RejectCase, uow: UnitOfWork) -> UUID:
    return await _change(uow, cmd, "rejectCase", Permission.CASE_FOLLOW_UP, {"reason": cmd.reason},
                         lambda case, actor, now: case.reject(cmd.reason, now=now, actor=actor))


async def return_visit(cmd: ReturnVisit, uow: UnitOfWork) -> UUID:
    sent = {"satisfaction": cmd.satisfaction.value, "score": cmd.score, "comment": cmd.comment}
    return await _change(uow, cmd, "returnVisit", Permission.CASE_FOLLOW_UP, sent,
                         lambda case, actor, now: case.return_visit(cmd.satisfaction, cmd.score, cmd.comment, visitor=actor,
                                                                    now=now))


# -- cancelling and declining --------------------------------------------------------------------


async def cancel_case(cmd: CancelCase, uow: UnitOfWork) -> UUID:
    return await _change(uow, cmd, "cancelCase", Permission.CASE_DISPATCH, {"reason": cmd.reason, "by_resident": cmd.by_resident},
                         lambda case, actor, now: case.cancel(cmd.reason, actor=actor, now=now, by_resident=cmd.by_resident))


async def request_decline(cmd: RequestDecline, uow: UnitOfWork) -> UUID:
    return await _change(uow, cmd, "requestDecline", Permission.CASE_DISPATCH, {"reason": cmd.reason},
                         lambda case, actor, now: case.request_decline(cmd.reason, actor=actor, now=now))


async def approve_decline(cmd: ApproveDecline, uow: UnitOfWork) -> UUID:
    return await _change(uow, cmd, "approveDecline", Permission.CASE_SUPERVISE, _reply_as_sent(cmd.reply),
                         lambda case, actor, now: case.approve_decline(_kept(cmd.reply), actor=actor, now=now))


async def deny_decline(cmd: DenyDecline, uow: UnitOfWork) -> UUID:
    return await _change(uow, cmd, "denyDecline", Permission.CASE_SUPERVISE, {"note": cmd.note},
                         lambda case, actor, now: case.deny_decline(cmd.note, actor=actor, now=now))


async def revise_written_reply(cmd: ReviseWrittenReply, uow: UnitOfWork) -> UUID:
    return await _change(uow, cmd, "reviseWrittenReply", Permission.CASE_SUPERVISE, _reply_as_sent(cmd.reply),
                         lambda case, actor, now: case.revise_written_reply(_kept(cmd.reply), actor=actor, now=now))


def _reply_as_sent(reply: WrittenReply) -> dict[str, Any]:
    return {"reason": reply.reason, "basis": reply.basis, "alternatives": list(reply.alternatives)}


def _kept(reply: WrittenReply) -> WrittenReply:
    return WrittenReply(reply.reason, reply.basis, reply.alternatives[:KEPT])


# -- the shape they share ------------------------------------------------------------------------


async def _change(uow: UnitOfWork, cmd: ChangeCase, operation: str, permission: Permission, sent: dict[str, Any],
                  rule: Rule, *, first: Callable[[UnitOfWork], Awaitable[None]] | None = None) -> UUID:
    """The case locked, `permission` checked on its project, `rule` applied by the person acting
    (a supervisor if they hold CASE_SUPERVISE there), the case saved — once per idempotency key.
    `first` runs at the start of the transaction (a resident's mutation counts against their limit)."""
    async with uow:
        if first is not None:
            await first(uow)
        if (done := await uow.claim(cmd.idempotency_key, operation, {"caseId": cmd.case_ref, **sent})) is not None:
            return UUID(done["case_id"])
        cases = CaseRepository(uow)
        case = await cases.get_for_update(cmd.case_id)
        if case is None:
            raise not_found("The case", "caseId", zh="工单")
        uow.require(permission, case.project_id)
        actor = Actor(cmd.actor_id, supervisor=uow.may(Permission.CASE_SUPERVISE, case.project_id))
        if inspect.isawaitable(applied := rule(case, actor, datetime.now(UTC))):
            await applied
        await cases.save(case)
        await uow.commit({"case_id": str(case.id)})
    return case.id
