"""Case-review and bulletin use cases, each in the caller's unit of work: check the input, claim
the idempotency key, load (locked) what changes, check the permission on its project, apply the
rule, save, commit — the unit of work writes the audit rows and the publication's event."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

from domain.reviews import repository
from domain.reviews.commands import DraftBulletin, PublishBulletin, ReviewCase, WithdrawBulletin
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission


def _opt(value: UUID | None) -> str | None:
    return str(value) if value is not None else None


async def review_case(cmd: ReviewCase, uow: UnitOfWork) -> UUID:
    """案例研判: the case's id (its review is read by case)."""
    review = cmd.review.check()  # refused before the key is claimed: the input is wrong whatever the key
    async with uow:
        request = {"caseId": str(cmd.case_id), "verdict": review.verdict, "rootCauseCategory": review.root_cause_category,
                   "rootCause": review.root_cause, "lessons": review.lessons, "correctiveActions": review.corrective_actions,
                   "tags": list(review.tags), "shared": review.shared, "expectedVersion": cmd.expected_version}
        if await uow.claim(cmd.idempotency_key, "reviewCase", request) is not None:
            return cmd.case_id
        project_id = await repository.case_project(uow.conn, uow.org_id, cmd.case_id)
        uow.require(Permission.REVIEW_MANAGE, project_id)
        saved = await repository.save_review(uow, project_id=project_id, case_id=cmd.case_id, review=review,
                                             expected_version=cmd.expected_version)
        await uow.commit({"id": str(saved.id), "version": saved.version})
    return cmd.case_id


async def draft_bulletin(cmd: DraftBulletin, uow: UnitOfWork, *, today: date) -> UUID:
    """起草通报: the draft's id. `today` is the Beijing date (a bulletin is about a month that has begun)."""
    draft = cmd.draft.check(today)
    async with uow:
        request = {"bulletinId": _opt(cmd.bulletin_id), "projectId": str(cmd.project_id), "kind": draft.kind, "title": draft.title,
                   "body": draft.body, "month": draft.month.isoformat(), "departmentId": _opt(cmd.draft.department_id),
                   "caseIds": [str(c) for c in cmd.draft.case_ids], "citedFigures": list(draft.cited_figures)}
        if (done := await uow.claim(cmd.idempotency_key, "draftBulletin", request)) is not None:
            return UUID(done["id"])
        uow.require(Permission.BULLETIN_PUBLISH, cmd.project_id)
        existing = None
        if cmd.bulletin_id is not None:
            existing = await repository.locked_bulletin(uow, cmd.bulletin_id)
            uow.require(Permission.BULLETIN_PUBLISH, existing.project_id)
            existing.check_rewrite(cmd.project_id)
        bulletin = await repository.save_draft(uow, project_id=cmd.project_id, draft=draft, existing=existing)
        await uow.commit({"id": str(bulletin.id)})
    assert bulletin.id is not None
    return bulletin.id


async def publish_bulletin(cmd: PublishBulletin, uow: UnitOfWork) -> UUID:
    """发布通报: the month's figures of its project are frozen into it; circulating it to every
    other project needs the permission company-wide."""
    async with uow:
        request = {"bulletinId": str(cmd.bulletin_id), "circulate": cmd.circulate}
        if (done := await uow.claim(cmd.idempotency_key, "publishBulletin", request)) is not None:
            return UUID(done["id"])
        bulletin = await repository.locked_bulletin(uow, cmd.bulletin_id)
        uow.require(Permission.BULLETIN_PUBLISH, bulletin.project_id)
        bulletin.check_publishable()
        if cmd.circulate:
            uow.require(Permission.BULLETIN_PUBLISH)
        await repository.publish(uow, bulletin, now=datetime.now(UTC), circulate=cmd.circulate)
        await uow.commit({"id": str(cmd.bulletin_id)})
    return cmd.bulletin_id


async def withdraw_bulletin(cmd: WithdrawBulletin, uow: UnitOfWork) -> UUID:
    """撤回通报: it (and any circulated copy, which needs the permission company-wide) stays on
    record as withdrawn, with the reason."""
    async with uow:
        request = {"bulletinId": str(cmd.bulletin_id), "reason": cmd.reason}
        if (done := await uow.claim(cmd.idempotency_key, "withdrawBulletin", request)) is not None:
            return UUID(done["id"])
        bulletin = await repository.locked_bulletin(uow, cmd.bulletin_id)
        uow.require(Permission.BULLETIN_PUBLISH, bulletin.project_id)
        if bulletin.circulated:  # its copies are in every project
            uow.require(Permission.BULLETIN_PUBLISH)
        reason = bulletin.withdraw(cmd.reason)
        await repository.withdraw(uow, bulletin, reason=reason)
        await uow.commit({"id": str(cmd.bulletin_id)})
    return cmd.bulletin_id
