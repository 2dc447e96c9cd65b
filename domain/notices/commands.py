"""What a caller asks of notices: parsed values (UUIDs, the input as given; the rules check and trim it)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.notices.rules import NoticeDraft


@dataclass(frozen=True, slots=True)
class DraftNotice:
    project_id: UUID
    draft: NoticeDraft
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateNotice:
    notice_id: UUID
    draft: NoticeDraft
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class NoticeStep:
    """submitNotice and approveNotice: the notice, nothing more."""

    notice_id: UUID
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class ReturnNotice:
    notice_id: UUID
    note: str
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class WithdrawNotice:
    notice_id: UUID
    reason: str
    idempotency_key: str | None = None
