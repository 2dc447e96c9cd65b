"""What a caller asks of the case use cases, as plain values: parsed from a request, a 12345
order, an inspection's finding or the demo, and checked by the use case itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.cases.states import CaseKind, Channel, Severity


@dataclass(frozen=True)
class RegisterCase:
    """登记工单 A new case of a project. The category is either a code of the company's taxonomy,
    checked as a client's choice (it exists, is not archived, takes this kind), or the id of one
    the caller has already chosen under its own rule (a 12345 order's fallback to 其他, an
    inspection item's category)."""

    project_id: UUID
    kind: CaseKind
    severity: Severity
    channel: Channel
    description: str
    category_code: str | None = None
    category_id: UUID | None = None
    unit_id: UUID | None = None  # the flat; its building is read with it
    public_area: str | None = None
    reporter_resident_id: UUID | None = None
    photos: tuple[str, ...] = ()
    received_at: datetime | None = None  # when the request was taken, if before it is entered

    def __post_init__(self) -> None:
        if (self.category_code is None) == (self.category_id is None):
            raise ValueError("RegisterCase takes a category code or a category id, not both or neither.")
