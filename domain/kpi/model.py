"""考评权重 A company's weights as a thing that changes: the checked weights, and the audit entry of
who set them. Pure; `domain/kpi/repository.py` stores them."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from domain.kpi.month import WEIGHT_NAMES
from domain.kpi.scores import Weights
from domain.unit_of_work import Aggregate, AuditEntry


@dataclass(kw_only=True)
class CompanyWeights(Aggregate):
    org_id: UUID
    weights: Weights = field(default_factory=Weights)

    def set(self, chosen: Weights, *, by: str) -> None:
        self.weights = chosen.check()
        self.audit.append(AuditEntry(action="evaluation.weights_set", entity="kpi_weights", entity_id=None,
                                     data=as_values(self.weights), actor=by))


def as_values(w: Weights) -> dict[str, float]:
    return {n: getattr(w, n) for n in WEIGHT_NAMES}
