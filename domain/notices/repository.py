"""Notices in PostgreSQL, in the caller's unit of work: what a change loads or makes is tracked
there, so its audit rows and events are written at commit with the change. Reads run under the
caller's row-level security, so a notice, building, flat or channel of another project or company
is simply not found."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.errors import not_found
from domain.notices.model import Notice
from domain.notices.rules import NoticeDraft
from domain.unit_of_work import UnitOfWork

COLUMNS = ("id, org_id, project_id, kind, title, audience, state, author, publish_at, expires_at, channel_ids, approver, "
           "returned_note, published_at, withdrawn_at, withdrawn_by, withdraw_reason")
_LOCKED = text(f"SELECT {COLUMNS} FROM notices WHERE org_id = :o AND id = :id FOR UPDATE")
_INSERT = text(
    "INSERT INTO notices (org_id, project_id, title, body, kind, audience, publish_at, expires_at, channel_ids, attachments, "
    "pinned, author) VALUES (:o, :p, :title, :body, :kind, :audience, :publish_at, :expires_at, CAST(:channels AS uuid[]), "
    f"CAST(:attachments AS text[]), :pinned, :actor) RETURNING {COLUMNS}"
)
_UPDATE = text(
    "UPDATE notices SET title = :title, body = :body, kind = :kind, audience = :audience, publish_at = :publish_at, "
    "expires_at = :expires_at, channel_ids = CAST(:channels AS uuid[]), attachments = CAST(:attachments AS text[]), "
    "pinned = :pinned, updated_at = now() WHERE org_id = :o AND id = :id"
)
_CLEAR_TARGETS = text("DELETE FROM notice_targets WHERE org_id = :o AND notice_id = :n")
_BUILDING_TARGETS = text(
    "INSERT INTO notice_targets (org_id, project_id, notice_id, building_id) "
    "SELECT :o, :p, :n, b FROM unnest(CAST(:ids AS uuid[])) b"
)
_UNIT_TARGETS = text(
    "INSERT INTO notice_targets (org_id, project_id, notice_id, unit_id) SELECT :o, :p, :n, u FROM unnest(CAST(:ids AS uuid[])) u"
)
_BUILDINGS_FOUND = text("SELECT count(*) FROM buildings WHERE org_id = :o AND project_id = :p AND id = ANY(CAST(:ids AS uuid[]))")
_UNITS_FOUND = text("SELECT count(*) FROM units WHERE org_id = :o AND project_id = :p AND id = ANY(CAST(:ids AS uuid[]))")
# The company's channels, or the project's own: another project's channel is not offered.
_CHANNELS_FOUND = text(
    "SELECT count(*) FROM delivery_channels WHERE org_id = :o AND id = ANY(CAST(:ids AS uuid[])) AND (project_id IS NULL OR "
    "project_id = :p)"
)
_SAVE = text(
    "UPDATE notices SET state = :state, approver = :approver, returned_note = :returned_note, published_at = :published_at, "
    "withdrawn_at = :withdrawn_at, withdrawn_by = :withdrawn_by, withdraw_reason = :withdraw_reason, updated_at = now() "
    "WHERE org_id = :o AND id = :id"
)


def from_row(r: Any) -> Notice:
    return Notice(id=r.id, org_id=r.org_id, project_id=r.project_id, kind=r.kind, title=r.title, audience=r.audience,
                  state=r.state, author=r.author, publish_at=r.publish_at, expires_at=r.expires_at,
                  channel_ids=tuple(r.channel_ids or ()), approver=r.approver, returned_note=r.returned_note,
                  published_at=r.published_at, withdrawn_at=r.withdrawn_at, withdrawn_by=r.withdrawn_by,
                  withdraw_reason=r.withdraw_reason)


async def locked(uow: UnitOfWork, notice_id: UUID) -> Notice:
    row = (await uow.conn.execute(_LOCKED, {"o": uow.org_id, "id": notice_id})).first()
    if row is None:
        raise not_found("The notice", "noticeId", zh="通知")
    notice = from_row(row)
    uow.track(notice)
    return notice


async def _check_references(conn: AsyncConnection, org_id: UUID, project_id: UUID, draft: NoticeDraft) -> None:
    """Its buildings, flats and channels are the project's (or, for channels, the company's)."""
    for ids, sql, field, what, zh in ((draft.building_ids, _BUILDINGS_FOUND, "buildingIds", "A building", "楼栋"),
                                      (draft.unit_ids, _UNITS_FOUND, "unitIds", "A flat", "房屋"),
                                      (draft.channel_ids, _CHANNELS_FOUND, "channelIds", "A delivery channel", "通知渠道")):
        if ids and (await conn.execute(sql, {"o": org_id, "p": project_id, "ids": list(ids)})).scalar_one() != len(ids):
            raise not_found(what, field, zh=zh)


def _values(draft: NoticeDraft) -> dict[str, Any]:
    return {"title": draft.title, "body": draft.body, "kind": draft.kind, "audience": draft.audience,
            "publish_at": draft.publish_at, "expires_at": draft.expires_at, "channels": [str(c) for c in draft.channel_ids],
            "attachments": list(draft.attachments), "pinned": draft.pinned}


async def _write_targets(conn: AsyncConnection, notice: Notice, draft: NoticeDraft) -> None:
    await conn.execute(_CLEAR_TARGETS, {"o": notice.org_id, "n": notice.id})
    keys = {"o": notice.org_id, "p": notice.project_id, "n": notice.id}
    if draft.building_ids:
        await conn.execute(_BUILDING_TARGETS, {**keys, "ids": list(draft.building_ids)})
    if draft.unit_ids:
        await conn.execute(_UNIT_TARGETS, {**keys, "ids": list(draft.unit_ids)})


async def insert_draft(uow: UnitOfWork, *, project_id: UUID, draft: NoticeDraft) -> Notice:
    await _check_references(uow.conn, uow.org_id, project_id, draft)
    row = (await uow.conn.execute(_INSERT, {"o": uow.org_id, "p": project_id, "actor": uow.actor, **_values(draft)})).one()
    notice = from_row(row)
    uow.track(notice)
    await _write_targets(uow.conn, notice, draft)
    notice.drafted(draft, revised=False)
    return notice


async def update_draft(uow: UnitOfWork, notice: Notice, draft: NoticeDraft) -> None:
    await _check_references(uow.conn, uow.org_id, notice.project_id, draft)
    await uow.conn.execute(_UPDATE, {"o": uow.org_id, "id": notice.id, **_values(draft)})
    await _write_targets(uow.conn, notice, draft)
    notice.drafted(draft, revised=True)


async def save(uow: UnitOfWork, notice: Notice) -> None:
    await uow.conn.execute(_SAVE, {"o": uow.org_id,
        "id": notice.id, "state": notice.state, "approver": notice.approver, "returned_note": notice.returned_note,
        "published_at": notice.published_at, "withdrawn_at": notice.withdrawn_at, "withdrawn_by": notice.withdrawn_by,
        "withdraw_reason": notice.withdraw_reason})
