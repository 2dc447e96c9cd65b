"""What a caller asks of case reviews and bulletins: parsed values (UUIDs, the input as given;
the rules check and trim it)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.reviews.rules import BulletinDraft, Review


@dataclass(frozen=True, slots=True)
class ReviewCase:
    case_id: UUID
    review: Review
    expected_version: int | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class DraftBulletin:
    project_id: UUID
    draft: BulletinDraft
    bulletin_id: UUID | None = None  # a draft to rewrite
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class PublishBulletin:
    bulletin_id: UUID
    circulate: bool = False
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class WithdrawBulletin:
    bulletin_id: UUID
    reason: str
    idempotency_key: str | None = None
