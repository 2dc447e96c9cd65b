"""What a caller asks of outside bodies and referrals. Ids are parsed before a command is made."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.referrals.model import BodyChanges, BodySpec, Feedback


@dataclass(frozen=True, slots=True)
class AddOutsideBody:
    project_id: UUID
    spec: BodySpec  # as given; the model checks it
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateOutsideBody:
    body_id: UUID
    changes: BodyChanges
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class RotateOutsideBodySecret:
    """No idempotency key: a retry makes another secret, and the last one shown is in force."""

    body_id: UUID


@dataclass(frozen=True, slots=True)
class MarkReferralLetterPrinted:
    referral_id: UUID
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class RecordReferralFeedback:
    """录入反馈 by staff: what the body said by phone or on paper. `actor_id` is the person entering it."""

    referral_id: UUID
    feedback: Feedback
    note: str | None
    actor_id: UUID
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class ReferCase:
    """转办. `actor_id` is the person referring; `request` is the input as the idempotency key
    remembers it."""

    case_id: UUID
    body_id: UUID
    reason: str
    requested_action: str
    actor_id: UUID
    request: dict[str, Any]
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class ReceiveBodyFeedback:
    """签收 or 答复 as the body itself sends it, signed: `words` is its note or its outcome."""

    body_id: UUID
    referral_id: UUID
    feedback: Feedback
    words: str | None


@dataclass(frozen=True, slots=True)
class WithdrawReferral:
    referral_id: UUID
    reason: str
    actor_id: UUID
    idempotency_key: str | None = None
