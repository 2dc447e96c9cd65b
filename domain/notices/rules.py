"""通知公告 What a notice may say and whom it may reach, and which step each state allows
(docs/resident-services.md §5.2). Pure: the model applies these, the tests call them directly."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urlsplit
from uuid import UUID

from domain.errors import DomainError, ErrorCode, ErrorReason, invalid

KIND_LABELS = {"general": "一般", "emergency": "紧急", "outage": "停水停电", "fee": "缴费", "event": "活动"}
# Cannot wait for a second pair of eyes (停水 in ten minutes), and must say when they stop holding.
URGENT = frozenset({"emergency", "outage"})
AUDIENCE_LABELS = {"project": "全项目", "buildings": "指定楼栋", "units": "指定房屋"}
STATE_LABELS = {"draft": "草稿", "pending": "待审核", "scheduled": "已排期", "published": "已发布", "expired": "已过期",
                "withdrawn": "已撤回"}
MAX_UNITS = 20_000
MAX_BUILDINGS = 500
MAX_ATTACHMENTS = 9
MAX_CHANNELS = 20


@dataclass(frozen=True, slots=True)
class NoticeDraft:
    """A notice as its author writes it; `check` trims it and refuses what may not be sent."""

    title: str
    body: str
    kind: str
    audience: str
    building_ids: tuple[UUID, ...] = ()
    unit_ids: tuple[UUID, ...] = ()
    publish_at: datetime | None = None
    expires_at: datetime | None = None
    channel_ids: tuple[UUID, ...] = ()
    attachments: tuple[str, ...] = ()
    pinned: bool = False

    def check(self, now: datetime) -> NoticeDraft:
        title, body = self.title.strip(), self.body.strip()
        if not 1 <= len(title) <= 100:
            raise invalid("标题须为 1 到 100 个字符。title must have 1–100 characters.", "title")
        if not 1 <= len(body) <= 5000:
            raise invalid("正文须为 1 到 5,000 个字符。body must have 1–5,000 characters.", "body")
        if self.kind not in KIND_LABELS:
            raise invalid("通知类型不支持。kind is not one of the notice kinds.", "kind")
        buildings, units = tuple(dict.fromkeys(self.building_ids)), tuple(dict.fromkeys(self.unit_ids))
        if self.audience == "project":
            if buildings or units:
                raise invalid("全项目通知不指定楼栋或房屋。A project-wide notice names no buildings or flats.", "audience")
        elif self.audience == "buildings":
            if not 1 <= len(buildings) <= MAX_BUILDINGS or units:
                raise invalid(f"请选择 1 到 {MAX_BUILDINGS} 栋楼（不选房屋）。"
                              f"Name 1–{MAX_BUILDINGS} buildings (and no flats).", "buildingIds")
        elif self.audience == "units":
            if not 1 <= len(units) <= MAX_UNITS or buildings:
                raise invalid(f"请选择 1 到 {MAX_UNITS} 户房屋（不选楼栋）。Name 1–{MAX_UNITS} flats (and no buildings).", "unitIds")
        else:
            raise invalid("受众须为全项目、楼栋或房屋。audience must be project, buildings or units.", "audience")
        if self.kind in URGENT and self.expires_at is None:
            raise invalid("紧急和停水停电通知须设置失效时间。An emergency or outage notice needs expiresAt.", "expiresAt")
        if self.expires_at is not None:
            if self.expires_at <= now:
                raise invalid("失效时间须晚于现在。expiresAt must be in the future.", "expiresAt")
            if self.publish_at is not None and self.expires_at <= self.publish_at:
                raise invalid("失效时间须晚于发布时间。expiresAt must come after publishAt.", "expiresAt")
        channels = tuple(dict.fromkeys(self.channel_ids))
        if len(channels) > MAX_CHANNELS:
            raise invalid(f"最多选择 {MAX_CHANNELS} 个渠道。At most {MAX_CHANNELS} channels.", "channelIds")
        attachments = tuple(a.strip() for a in self.attachments)
        if len(attachments) > MAX_ATTACHMENTS or any(not _https(a) for a in attachments):
            raise invalid(f"附件最多 {MAX_ATTACHMENTS} 个，每个须为 https:// 地址。"
                          f"At most {MAX_ATTACHMENTS} attachments, each an https:// URL.", "attachments")
        return replace(self, title=title, body=body, building_ids=buildings, unit_ids=units, channel_ids=channels,
                       attachments=attachments)


def _https(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.hostname) and len(url) <= 2000 and not any(c.isspace() for c in url)


def _state(reason: ErrorReason, message: str) -> DomainError:
    return DomainError(ErrorCode.INVALID_STATE, message, reason=reason)


def check_editable(state: str) -> None:
    """Drafted, edited and submitted only while a draft: nothing changes after submission."""
    if state != "draft":
        raise _state(ErrorReason.NOTICE_NOT_DRAFT, "只有草稿可以修改或提交。Only a draft may be edited or submitted.")


def check_approvable(state: str, kind: str, *, author: str, approver: str) -> None:
    """Four eyes: someone other than the author approves a pending notice. An emergency or outage
    notice may be approved straight from its draft, by its author."""
    urgent = kind in URGENT
    if state != "pending" and not (urgent and state == "draft"):
        raise _state(ErrorReason.NOTICE_NOT_PENDING, "只有待审核的通知可以审核。Only a pending notice may be approved.")
    if author == approver and not urgent:
        raise DomainError(ErrorCode.FORBIDDEN, "不能审核自己起草的通知（紧急、停水停电通知除外）。"
                          "You may not approve a notice you drafted (except an emergency or outage).",
                          reason=ErrorReason.SAME_AUTHOR)


def check_returnable(state: str, note: str | None) -> str:
    if state != "pending":
        raise _state(ErrorReason.NOTICE_NOT_PENDING, "只有待审核的通知可以退回。Only a pending notice may be returned.")
    why = (note or "").strip()
    if not 1 <= len(why) <= 500:
        raise invalid("退回须说明原因（1 到 500 个字符）。Say why it is returned (1–500 characters).", "note")
    return why


def check_withdrawal(state: str, reason: str | None) -> str:
    """The trimmed reason; only a scheduled or published notice is withdrawn."""
    if state == "withdrawn":
        raise _state(ErrorReason.NOTICE_ALREADY_WITHDRAWN, "通知已撤回。The notice is already withdrawn.")
    if state not in ("scheduled", "published"):
        raise DomainError(ErrorCode.INVALID_STATE,
                          "只有已排期或已发布的通知可以撤回。Only a scheduled or published notice may be withdrawn.")
    why = (reason or "").strip()
    if not 1 <= len(why) <= 500:
        raise invalid("撤回须说明原因（1 到 500 个字符）。Say why it is withdrawn (1–500 characters).", "reason")
    return why


def publishes_now(publish_at: datetime | None, now: datetime) -> bool:
    """Approved: published at once, unless its publish time is still ahead (then scheduled)."""
    return publish_at is None or publish_at <= now


def urgent(kind: str) -> bool:
    return kind in URGENT
