from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.gov.model import AnswerKind, Evaluation, Urgency


@dataclass(frozen=True)
class AnswerOrder:
    """回复12345: progress, the result, or a return (with its reason and, optionally, the outside
    body of the project the matter belongs to). `actor_id` is the person answering, who a return
    declines the case as."""

    order_id: UUID
    kind: AnswerKind
    actor_id: UUID
    text: str | None = None
    reason: str | None = None
    body_id: UUID | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class AddGovBridge:
    project_id: UUID
    name: str
    city: str
    callback_url: str
    receiver_id: UUID
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class SetGovBridgeActive:
    bridge_id: UUID
    active: bool
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class RotateGovBridgeSecret:
    bridge_id: UUID
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class SetGovCityDeadlines:
    """Each deadline as (urgency, response minutes, resolve minutes), as given; the model checks them."""

    city: str
    deadlines: tuple[tuple[Urgency, int, int], ...]
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class SeenBridge:
    """What a new order needs of its bridge, as the signed request's check already read it in the
    same transaction and wall (api/inbound/signed.py `Source.row`)."""

    id: UUID
    project_id: UUID
    city: str
    receiver_id: UUID


@dataclass(frozen=True, slots=True)
class ReceiveOrder:
    """A 工单 as the bridge sent it: the JSON object, unchecked (the model checks it against the
    city's deadlines, which only the database knows). `seen`: the bridge, when the caller has read
    it already; otherwise the use case reads it."""

    bridge_id: UUID
    payload: dict[str, Any]
    seen: SeenBridge | None = None


@dataclass(frozen=True, slots=True)
class ReceiveEvaluation:
    """The government's verdict on our answer to one of the bridge's orders."""

    bridge_id: UUID
    order_number: str
    evaluation: Evaluation
