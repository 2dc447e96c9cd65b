"""Decision-feedback use cases, each in the caller's unit of work: check the input, claim the
idempotency key, load (locked) what changes, check the permission on its project, apply the rule,
save, commit — the unit of work writes the audit row and the event the item collected."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from domain.feedback import model, repository
from domain.feedback.commands import AdvanceDecisionFeedback, ReportDecisionFeedback
from domain.sla.calendar import CHINA
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission


async def report_decision_feedback(cmd: ReportDecisionFeedback, uow: UnitOfWork) -> UUID:
    """上报决策反馈: the new item's id (a replayed key: the first one's)."""
    uow.require(Permission.DECISION_FEEDBACK_MANAGE, cmd.project_id)
    now = datetime.now(UTC)
    period = model.period_of(cmd.month, now.astimezone(CHINA).date())
    title, summary = model.title(cmd.title), model.evidence(cmd.summary, "summary")
    attachments = model.attachments(cmd.attachments)
    code = cmd.category_code.strip()
    async with uow:
        request = {"projectId": str(cmd.project_id), "period": period.isoformat(), "categoryCode": code,
                   "bodyId": str(cmd.body_id) if cmd.body_id else None, "title": title, "summary": summary,
                   "attachments": list(attachments)}
        if (done := await uow.claim(cmd.idempotency_key, "reportDecisionFeedback", request)) is not None:
            return UUID(done["id"])
        item = await repository.report(uow, project_id=cmd.project_id, period=period, category_code=code, body_id=cmd.body_id,
                                       title=title, summary=summary, attachments=attachments, now=now)
        await uow.commit({"id": str(item.id)})
    return item.id


async def advance_decision_feedback(cmd: AdvanceDecisionFeedback, uow: UnitOfWork) -> UUID:
    """推进决策反馈: one step on (已确认 → 已整改 → 已落实) with its evidence."""
    evidence, attachments = model.evidence(cmd.evidence), model.attachments(cmd.attachments)
    now = datetime.now(UTC)
    async with uow:
        request = {"itemId": str(cmd.item_id), "status": cmd.status.value, "evidence": evidence, "attachments": list(attachments)}
        if (done := await uow.claim(cmd.idempotency_key, "advanceDecisionFeedback", request)) is not None:
            return UUID(done["id"])
        item = await repository.locked_item(uow, cmd.item_id)
        uow.require(Permission.DECISION_FEEDBACK_MANAGE, item.project_id)
        item.advance(cmd.status, org_id=uow.org_id, attachments=attachments)
        await repository.record_step(uow, item, evidence=evidence, attachments=attachments, now=now)
        await uow.commit({"id": str(cmd.item_id)})
    return cmd.item_id
