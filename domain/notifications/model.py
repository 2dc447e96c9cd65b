"""What may be sent again, and by whom asked. A delivery that went out is replayed on purpose (an
integrator lost it or rebuilt its side) with the same delivery id, so that a receiver which
deduplicates on it sees the one it has. A dead letter — an event no consumer could handle — is
published once more, once; a new failure comes back as a new dead letter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.errors import DomainError, ErrorCode, conflict
from domain.events import Event
from domain.unit_of_work import Aggregate, AuditEntry


@dataclass(kw_only=True)
class Delivery(Aggregate):
    id: UUID
    org_id: UUID
    project_id: UUID | None
    status: str
    kind: str  # the channel's kind; a letter's own when it has no channel
    channel_active: bool

    def replay(self, *, by: str) -> None:
        if (refusal := self._refusal()) is not None:
            raise refusal
        # The worker sends a `replay` event even though the row is sent, once: the event id is its key.
        self.events.append(Event(topic="delivery.created", org_id=self.org_id, project_id=self.project_id,
                                 payload={"delivery_id": str(self.id), "replay": True}))
        self.audit.append(AuditEntry(action="delivery.replayed", entity="delivery", entity_id=self.id,
                                     project_id=self.project_id, actor=by))

    def _refusal(self) -> DomainError | None:
        if self.kind == "letter":
            return DomainError(ErrorCode.INVALID_STATE, "函件是打印的，不会发送：请从转办中重新打印。"
                                                        "A letter is printed, not sent: print it again from its referral.",
                               "deliveryId")
        if self.status != "sent":
            # Failed and waiting deliveries are the worker's: it is still retrying them.
            return DomainError(ErrorCode.INVALID_STATE,
                               "此推送尚未发送：系统仍在重试。若最终失败会转为死信，届时可用 retryDeadLetter 重发。"
                               "This delivery has not been sent yet: the worker is still retrying it. If it fails for good it "
                               "becomes a dead letter — send that again with retryDeadLetter.", "deliveryId")
        if not self.channel_active:
            return DomainError(ErrorCode.INVALID_STATE,
                               "推送渠道已停用：请先用 setDeliveryChannelActive 启用。"
                               "Its channel is switched off: switch it on with setDeliveryChannelActive first.", "deliveryId")
        return None


@dataclass(kw_only=True)
class DeadLetter(Aggregate):
    id: UUID
    event_id: UUID
    retried_at: datetime | None
    retried_by: str | None = None

    def retry(self, *, by: str) -> None:
        if self.retried_at is not None or self.retried_by is not None:
            raise conflict("此死信已重发过；新的失败会作为新的死信出现。"
                           "This dead letter was already sent again; a new failure comes back as a new one.", "id")
        self.retried_by = by
        self.audit.append(AuditEntry(action="event.republished", entity="event", entity_id=self.event_id,
                                     data={"dead_letter_id": str(self.id)}, actor=by))
