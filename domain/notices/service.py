"""通知公告 use cases, each in the caller's unit of work: check the input, claim the idempotency
key, load (locked) what changes, check the permission on its project, apply the rule, save,
commit — the unit of work writes the audit rows and the publication's or withdrawal's event."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from domain.notices import repository
from domain.notices.model import UnreadExport
from domain.notices.commands import DraftNotice, NoticeStep, ReturnNotice, UpdateNotice, WithdrawNotice
from domain.notices.rules import NoticeDraft
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission


def _request(draft: NoticeDraft) -> dict[str, Any]:
    return {"title": draft.title, "body": draft.body, "kind": draft.kind, "audience": draft.audience,
            "buildingIds": [str(b) for b in draft.building_ids], "unitIds": [str(u) for u in draft.unit_ids],
            "publishAt": draft.publish_at.isoformat() if draft.publish_at else None,
            "expiresAt": draft.expires_at.isoformat() if draft.expires_at else None,
            "channelIds": [str(c) for c in draft.channel_ids], "attachments": list(draft.attachments), "pinned": draft.pinned}


async def draft_notice(cmd: DraftNotice, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    """起草通知: the new draft's id."""
    draft = cmd.draft.check(now or datetime.now(UTC))  # wrong whatever the key: refused before it is claimed
    async with uow:
        if (done := await uow.claim(cmd.idempotency_key, "draftNotice", {"projectId": str(cmd.project_id),
                                                                         **_request(draft)})) is not None:
            return UUID(done["id"])
        uow.require(Permission.NOTICE_DRAFT, cmd.project_id)
        notice = await repository.insert_draft(uow, project_id=cmd.project_id, draft=draft)
        await uow.commit({"id": str(notice.id)})
    return notice.id


async def update_notice(cmd: UpdateNotice, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    """Rewrites a draft (a returned one too); a submitted notice is no longer edited."""
    draft = cmd.draft.check(now or datetime.now(UTC))
    async with uow:
        if await uow.claim(cmd.idempotency_key, "updateNotice", {"noticeId": str(cmd.notice_id), **_request(draft)}) is not None:
            return cmd.notice_id
        notice = await repository.locked(uow, cmd.notice_id)
        uow.require(Permission.NOTICE_DRAFT, notice.project_id, "noticeId")
        notice.check_editable()
        await repository.update_draft(uow, notice, draft)
        await uow.commit({"id": str(notice.id)})
    return notice.id


async def submit_notice(cmd: NoticeStep, uow: UnitOfWork) -> UUID:
    """提交审核."""
    async with uow:
        if await uow.claim(cmd.idempotency_key, "submitNotice", {"noticeId": str(cmd.notice_id)}) is not None:
            return cmd.notice_id
        notice = await repository.locked(uow, cmd.notice_id)
        uow.require(Permission.NOTICE_DRAFT, notice.project_id, "noticeId")
        notice.submit()
        await repository.save(uow, notice)
        await uow.commit({"id": str(notice.id)})
    return notice.id


async def approve_notice(cmd: NoticeStep, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    """审核通过: published now, or scheduled for its publish time."""
    async with uow:
        if await uow.claim(cmd.idempotency_key, "approveNotice", {"noticeId": str(cmd.notice_id)}) is not None:
            return cmd.notice_id
        notice = await repository.locked(uow, cmd.notice_id)
        uow.require(Permission.NOTICE_PUBLISH, notice.project_id, "noticeId")
        notice.approve(by=uow.actor, now=now or datetime.now(UTC))
        await repository.save(uow, notice)
        await uow.commit({"id": str(notice.id)})
    return notice.id


async def return_notice(cmd: ReturnNotice, uow: UnitOfWork) -> UUID:
    """退回: back to its author as a draft, with the note."""
    async with uow:
        if await uow.claim(cmd.idempotency_key, "returnNotice", {"noticeId": str(cmd.notice_id), "note": cmd.note}) is not None:
            return cmd.notice_id
        notice = await repository.locked(uow, cmd.notice_id)
        uow.require(Permission.NOTICE_PUBLISH, notice.project_id, "noticeId")
        notice.return_(cmd.note)
        await repository.save(uow, notice)
        await uow.commit({"id": str(notice.id)})
    return notice.id


async def withdraw_notice(cmd: WithdrawNotice, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    """撤回: hidden at once; the chosen channels hear of it (`notice.withdrawn`), and what was not
    yet sent about it is no longer sent."""
    async with uow:
        if await uow.claim(cmd.idempotency_key, "withdrawNotice", {"noticeId": str(cmd.notice_id), "reason": cmd.reason}) is not None:
            return cmd.notice_id
        notice = await repository.locked(uow, cmd.notice_id)
        uow.require(Permission.NOTICE_PUBLISH, notice.project_id, "noticeId")
        notice.withdraw(cmd.reason, by=uow.actor, now=now or datetime.now(UTC))
        await repository.save(uow, notice)
        await uow.commit({"id": str(notice.id)})
    return notice.id


async def record_unread_export(notice_id: UUID, project_id: UUID, rows: int, uow: UnitOfWork) -> None:
    """The audit row `notice.unread_exported` (names and masked phones left the system), committed
    before the file is answered."""
    async with uow:
        uow.require(Permission.ARCHIVE_READ, project_id, field="noticeId")
        export = UnreadExport(notice_id=notice_id, project_id=project_id)
        export.taken(rows)
        uow.track(export)
        await uow.commit()
