"""What an administrator asks of the delivery log and the dead letters."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.notifications.channels import ChannelSpec


@dataclass(frozen=True, slots=True)
class ReplayDelivery:
    delivery_id: UUID
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class RetryDeadLetter:
    dead_letter_id: UUID
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class AddDeliveryChannel:
    spec: ChannelSpec  # as given; the service checks it
    project_id: UUID | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class SetDeliveryChannelActive:
    channel_id: UUID
    active: bool
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class MarkNotificationsRead:
    user_id: UUID | None  # None: the caller has no inbox (an integrator key)
    ids: tuple[UUID, ...] = ()
    all: bool = False
    idempotency_key: str | None = None
