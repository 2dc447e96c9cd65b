"""What a caller asks of the duty roster. Ids are parsed before a command is made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID


@dataclass(frozen=True, slots=True)
class AddDutyShift:
    project_id: UUID
    department_id: UUID
    user_id: UUID
    starts_at: datetime
    ends_at: datetime
    request: dict[str, Any]  # the input as the idempotency key remembers it
    idempotency_key: str | None = None
    kind: str = "dispatch"  # or "reception" (接访轮值: a manager at the front desk)


@dataclass(frozen=True, slots=True)
class RemoveDutyShift:
    shift_id: UUID
    request: dict[str, Any]
    idempotency_key: str | None = None
