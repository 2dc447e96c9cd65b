"""What an administrator asks of the delivery log and the dead letters."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True, slots=True)
class ReplayDelivery:
    delivery_id: UUID
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class RetryDeadLetter:
    dead_letter_id: UUID
    idempotency_key: str | None = None
