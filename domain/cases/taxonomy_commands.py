"""What a caller asks of the company's case categories."""

from __future__ import annotations

from dataclasses import dataclass

from domain.cases.taxonomy import Labels


@dataclass(frozen=True, slots=True)
class AddCaseCategory:
    code: str
    labels: Labels  # as given; the model checks them
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateCaseCategory:
    code: str
    labels: Labels
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class SetCaseCategoryArchived:
    code: str
    archived: bool
    idempotency_key: str | None = None
