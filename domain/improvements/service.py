"""持续改进 use cases, each in the caller's unit of work: check the input, claim the idempotency key,
load (locked) what changes, check the permission on its project, apply the rule, save, commit —
with the ladder's timers planted or stopped in the same transaction, so an action is never
overdue without its escalations nor escalated after it was done."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from uuid import UUID

from domain.errors import DomainError, ErrorCode, invalid
from domain.followup import ladder
from domain.improvements import repository
from domain.improvements.commands import CompleteAction, RaiseAction, VerifyAction
from domain.improvements.model import Action
from domain.improvements.rules import SOURCE_LABELS, check_description, check_due, check_evidence, check_reason, check_title
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission

BEIJING = timezone(timedelta(hours=8))


def _today(now: datetime) -> date:
    return now.astimezone(BEIJING).date()


def _deadline(due_on: date) -> datetime:
    """The end of the due day, Beijing time."""
    return datetime.combine(due_on + timedelta(days=1), time(), BEIJING)


async def _plant(uow: UnitOfWork, action: Action, now: datetime) -> None:
    await ladder.plant(uow.conn, org_id=action.org_id, project_id=action.project_id, kind="action", subject_id=action.id,
                       owner=action.owner_user_id, start=now, due=_deadline(action.due_on))


async def raise_action(cmd: RaiseAction, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    now = now or datetime.now(UTC)
    if cmd.source not in SOURCE_LABELS:
        raise invalid("未知的来源。Unknown source.", "source")
    if (cmd.source == "other") != (cmd.source_id is None):
        raise invalid("来源为“其他”时不填来源记录，其余须填。Name the source record, except for OTHER.", "sourceId")
    if cmd.source == "sweep":
        raise invalid("排查行动尚未开放。Sweeps are not available yet.", "source")
    title, description = check_title(cmd.title), check_description(cmd.description)
    due_on = check_due(cmd.due_on, _today(now))
    async with uow:
        request = {"projectId": str(cmd.project_id), "source": cmd.source, "sourceId": str(cmd.source_id) if cmd.source_id else None,
                   "title": title, "description": description, "ownerId": str(cmd.owner_user_id), "dueOn": due_on.isoformat()}
        if (done := await uow.claim(cmd.idempotency_key, "raiseImprovementAction", request)) is not None:
            return UUID(done["id"])
        uow.require(Permission.IMPROVEMENT_RAISE, cmd.project_id)
        await repository.check_source(uow, cmd.project_id, cmd.source, cmd.source_id)
        await repository.check_owner(uow, cmd.project_id, cmd.owner_user_id)
        action = await repository.insert(uow, project_id=cmd.project_id, source=cmd.source, source_id=cmd.source_id, title=title,
                                         description=description, owner=cmd.owner_user_id, due_on=due_on)
        await _plant(uow, action, now)
        await uow.commit({"id": str(action.id)})
    return action.id


async def complete_action(cmd: CompleteAction, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    """整改完成: by its owner, or whoever may raise actions on the project."""
    now = now or datetime.now(UTC)
    note, files = check_evidence(cmd.evidence_note, cmd.evidence_files)
    async with uow:
        if await uow.claim(cmd.idempotency_key, "completeImprovementAction",
                           {"actionId": str(cmd.action_id), "note": note, "files": list(files)}) is not None:
            return cmd.action_id
        action = await repository.locked(uow, cmd.action_id)
        if not uow.owner_or_may(action.owner_user_id, Permission.IMPROVEMENT_RAISE, action.project_id):
            raise DomainError(ErrorCode.FORBIDDEN, "只有责任人或项目管理人员可以提交整改结果。"
                                                   "Only the owner or the project's managers complete an action.")
        action.complete(note=note, files=files, by=uow.actor, now=now)
        await repository.save(uow, action)
        await ladder.stop(uow.conn, org_id=uow.org_id, kind="action", subject_id=action.id)
        await uow.commit({"id": str(action.id)})
    return action.id


async def verify_action(cmd: VerifyAction, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    """总部验证: passed, or returned with the reason and a new due date — the ladder starts again."""
    now = now or datetime.now(UTC)
    reason = None if cmd.passed else check_reason(cmd.note)
    if not cmd.passed:
        if cmd.new_due_on is None:
            raise invalid("退回须给出新的完成期限。A return needs a new due date.", "newDueOn")
        check_due(cmd.new_due_on, _today(now), "newDueOn")
    async with uow:
        request = {"actionId": str(cmd.action_id), "passed": cmd.passed, "note": cmd.note,
                   "newDueOn": cmd.new_due_on.isoformat() if cmd.new_due_on else None}
        if await uow.claim(cmd.idempotency_key, "verifyImprovementAction", request) is not None:
            return cmd.action_id
        action = await repository.locked(uow, cmd.action_id)
        uow.require(Permission.IMPROVEMENT_VERIFY, action.project_id, "actionId")
        if cmd.passed:
            action.verify(by=uow.actor, now=now)
        else:
            assert reason is not None and cmd.new_due_on is not None
            action.send_back(reason=reason, due_on=cmd.new_due_on)
        await repository.save(uow, action)
        if not cmd.passed:
            await _plant(uow, action, now)
        await uow.commit({"id": str(action.id)})
    return action.id
