from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.gov.model import AnswerKind


@dataclass(frozen=True)
class AnswerOrder:
    """回复12345: progress, the result, or a return (with its reason and, optionally, the outside
    body of the project the matter belongs to)."""

    order_id: UUID
    kind: AnswerKind
    text: str | None = None
    reason: str | None = None
    body_id: UUID | None = None
