"""What a caller asks of inspections. Ids are parsed before a command is made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.inspections.model import Finding, ItemSpec


@dataclass(frozen=True, slots=True)
class CreateInspectionChecklist:
    name: str
    items: tuple[ItemSpec, ...]  # as given; the model checks them
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class SetInspectionChecklistActive:
    checklist_id: UUID
    active: bool
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class ItemResult:
    """An item's points, or not applicable, as given; the model checks it is one of the two."""

    item_id: UUID
    points: int | None
    not_applicable: bool = False
    comment: str = ""


@dataclass(frozen=True, slots=True)
class RecordInspection:
    """`inspector_id` is the signed-in person; None when the caller is not one (an API key),
    which may not inspect."""

    project_id: UUID
    checklist_id: UUID
    inspector_id: UUID | None
    inspected_on: date
    results: tuple[ItemResult, ...]
    findings: tuple[Finding, ...] = ()
    note: str = ""
    submit: bool = True
    draft_id: UUID | None = None
    idempotency_key: str | None = None
