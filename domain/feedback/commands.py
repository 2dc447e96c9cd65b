"""What a caller asks of decision feedback: parsed values (UUIDs, the input as given; the rules
check and trim it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.feedback.model import Status


@dataclass(frozen=True, slots=True)
class ReportDecisionFeedback:
    project_id: UUID
    month: date
    category_code: str
    body_id: UUID | None
    title: str
    summary: str
    attachments: tuple[str, ...] = ()
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class AdvanceDecisionFeedback:
    item_id: UUID
    status: Status
    evidence: str
    attachments: tuple[str, ...] = ()
    idempotency_key: str | None = None
