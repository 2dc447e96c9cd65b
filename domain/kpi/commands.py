"""What a caller asks of the company's evaluation settings."""

from __future__ import annotations

from dataclasses import dataclass

from domain.kpi.scores import Weights


@dataclass(frozen=True, slots=True)
class SetKpiWeights:
    weights: Weights
    idempotency_key: str | None = None
