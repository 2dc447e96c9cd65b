"""What may be sent again: a sent delivery on a live channel is replayed (same delivery id, a
`replay` event); letters, unsent deliveries and switched-off channels are refused; a dead letter
is retried once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from domain.errors import DomainError, ErrorCode
from domain.notifications.model import DeadLetter, Delivery

ADMIN = "user:00000000-0000-0000-0000-000000000002"


def a_delivery(**changes) -> Delivery:
    values = {"id": uuid.uuid4(), "org_id": uuid.uuid4(), "project_id": uuid.uuid4(), "status": "sent", "kind": "webhook",
              "channel_active": True} | changes
    return Delivery(**values)


def test_a_sent_delivery_is_replayed_with_its_own_id():
    d = a_delivery()
    d.replay(by=ADMIN)
    assert [(e.topic, e.payload, e.org_id, e.project_id) for e in d.events] == [
        ("delivery.created", {"delivery_id": str(d.id), "replay": True}, d.org_id, d.project_id)]
    assert [(a.action, a.entity, a.entity_id, a.actor) for a in d.audit] == [("delivery.replayed", "delivery", d.id, ADMIN)]


@pytest.mark.parametrize(("changes", "says"), [
    ({"kind": "letter", "status": "printed"}, "函件是打印的，不会发送：请从转办中重新打印。A letter is printed, not sent"),
    ({"status": "pending"}, "此推送尚未发送：系统仍在重试。若最终失败会转为死信，届时可用 retryDeadLetter 重发。"
                             "This delivery has not been sent yet"),
    ({"channel_active": False}, "推送渠道已停用：请先用 setDeliveryChannelActive 启用。Its channel is switched off"),
])
def test_what_is_not_replayed(changes, says):
    d = a_delivery(**changes)
    with pytest.raises(DomainError) as caught:
        d.replay(by=ADMIN)
    assert (caught.value.code, caught.value.field) == (ErrorCode.INVALID_STATE, "deliveryId")
    assert caught.value.message.startswith(says)
    assert d.events == [] and d.audit == []


def test_a_letter_is_refused_as_a_letter_before_anything_else():
    d = a_delivery(kind="letter", status="pending", channel_active=False)
    with pytest.raises(DomainError, match="A letter is printed"):
        d.replay(by=ADMIN)


def test_a_dead_letter_is_sent_again_once():
    letter = DeadLetter(id=uuid.uuid4(), event_id=uuid.uuid4(), retried_at=None)
    letter.retry(by=ADMIN)
    assert letter.retried_by == ADMIN
    assert [(a.action, a.entity, a.entity_id, a.data, a.project_id) for a in letter.audit] == [
        ("event.republished", "event", letter.event_id, {"dead_letter_id": str(letter.id)}, None)]
    with pytest.raises(DomainError) as caught:
        letter.retry(by=ADMIN)
    assert (caught.value.code, caught.value.field) == (ErrorCode.CONFLICT, "id")


def test_a_dead_letter_retried_before_is_refused():
    letter = DeadLetter(id=uuid.uuid4(), event_id=uuid.uuid4(), retried_at=datetime.now(UTC), retried_by=ADMIN)
    with pytest.raises(DomainError) as caught:
        letter.retry(by=ADMIN)
    assert caught.value.code is ErrorCode.CONFLICT and letter.audit == []
