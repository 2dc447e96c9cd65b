"""Replaying a delivery and retrying a dead letter without GraphQL: a command and a unit of work
against the real database. What is sent again is announced and audited in the same commit; a
refusal writes nothing; the same key again writes nothing more."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from domain.errors import DomainError, ErrorCode
from domain.notifications import service
from domain.notifications.commands import ReplayDelivery, RetryDeadLetter
from domain.unit_of_work import UnitOfWork
from tenants.principal import Grant, Principal
from tenants.roles import Role


def uow_of(platform, principal: Principal) -> UnitOfWork:
    return UnitOfWork(platform, org_id=principal.org_id, actor=principal.actor, scope=principal.scope, may=principal.can)


def admin_of(org) -> Principal:
    return Principal(kind="user", id=org.admin_id, org_id=org.org_id, grants=(Grant(Role.ORG_ADMIN, None),))


async def a_delivery(owner_engine, org, *, status: str = "sent", active: bool = True) -> uuid.UUID:
    async with owner_engine.begin() as conn:
        ids = {"o": org.org_id, "p": org.projects["P1"], "active": active, "status": status}
        ids["ch"] = (await conn.execute(text(
            "INSERT INTO delivery_channels (org_id, kind, name, target, topics, created_by, active) "
            "VALUES (:o, 'email', '值班', 'duty@example.com', ARRAY['case.escalated'], 'user:x', :active) RETURNING id"),
            ids)).scalar_one()
        return (await conn.execute(text(
            "INSERT INTO deliveries (org_id, channel_id, project_id, event_id, topic, title, body, data, status) "
            "VALUES (:o, :ch, :p, gen_random_uuid(), 'case.escalated', 't', 'b', '{}', :status) RETURNING id"), ids)).scalar_one()


async def records(owner_engine, org, entity_id: uuid.UUID) -> dict:
    async with owner_engine.connect() as conn:
        audit = (await conn.execute(text("SELECT action, entity, actor, data FROM audit_log WHERE org_id = :o AND entity_id = :e "
                                         "ORDER BY id"), {"o": org.org_id, "e": entity_id})).all()
        events = (await conn.execute(text("SELECT topic, payload, published_at IS NULL AS pending FROM outbox WHERE org_id = :o "
                                          "AND (payload->>'delivery_id' = :e OR id = :u) ORDER BY created_at"),
                                     {"o": org.org_id, "e": str(entity_id), "u": entity_id})).all()
    return {"audit": [tuple(a) for a in audit], "events": [tuple(e) for e in events]}


async def refused(use_case) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await use_case
    return caught.value


async def test_a_sent_delivery_is_replayed_once_per_key(platform, owner_engine, org):
    admin = admin_of(org)
    d = await a_delivery(owner_engine, org)
    assert await service.replay_delivery(ReplayDelivery(d, "again-1"), uow_of(platform, admin)) == d
    after = await records(owner_engine, org, d)
    assert after == {"audit": [("delivery.replayed", "delivery", admin.actor, {})],
                     "events": [("delivery.created", {"delivery_id": str(d), "replay": True}, True)]}
    assert await service.replay_delivery(ReplayDelivery(d, "again-1"), uow_of(platform, admin)) == d
    assert await records(owner_engine, org, d) == after


@pytest.mark.parametrize(("status", "active", "says"), [
    ("pending", True, "此推送尚未发送：系统仍在重试。若最终失败会转为死信，届时可用 retryDeadLetter 重发。"
                      "This delivery has not been sent yet"),
    ("sent", False, "推送渠道已停用：请先用 setDeliveryChannelActive 启用。Its channel is switched off")])
async def test_refused_replays_write_nothing(platform, owner_engine, org, status, active, says):
    d = await a_delivery(owner_engine, org, status=status, active=active)
    e = await refused(service.replay_delivery(ReplayDelivery(d, "k"), uow_of(platform, admin_of(org))))
    assert (e.code, e.field) == (ErrorCode.INVALID_STATE, "deliveryId") and e.message.startswith(says)
    assert await records(owner_engine, org, d) == {"audit": [], "events": []}
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM idempotency_keys WHERE org_id = :o"), {"o": org.org_id})).scalar() == 0


async def test_replay_walls_and_permission(platform, owner_engine, org, other_org):
    d = await a_delivery(owner_engine, org)
    e = await refused(service.replay_delivery(ReplayDelivery(d), uow_of(platform, admin_of(other_org))))
    assert (e.code, e.field) == (ErrorCode.NOT_FOUND, "deliveryId")
    hq = Principal(kind="user", id=uuid.uuid4(), org_id=org.org_id, grants=(Grant(Role.HQ_SUPERVISOR, None),))
    assert (await refused(service.replay_delivery(ReplayDelivery(d), uow_of(platform, hq)))).code is ErrorCode.FORBIDDEN
    assert await records(owner_engine, org, d) == {"audit": [], "events": []}


async def test_a_dead_letter_is_sent_again_once(platform, owner_engine, org, other_org):
    admin = admin_of(org)
    event = uuid.uuid4()
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO outbox (org_id, id, topic, payload, published_at) "
                                "VALUES (:o, :e, 'case.escalated', '{}', now())"), {"o": org.org_id, "e": event})
        letter = (await conn.execute(text(
            "INSERT INTO dead_letters (org_id, message_id, event_id, topic, attempts, error) "
            "VALUES (:o, gen_random_uuid()::text, :e, 'case.escalated', 21, 'boom') RETURNING id"),
            {"o": org.org_id, "e": event})).scalar_one()

    e = await refused(service.retry_dead_letter(RetryDeadLetter(letter), uow_of(platform, admin_of(other_org))))
    assert (e.code, e.field) == (ErrorCode.NOT_FOUND, "id")

    assert await service.retry_dead_letter(RetryDeadLetter(letter, "retry-1"), uow_of(platform, admin)) == letter
    after = await records(owner_engine, org, event)
    assert after == {"audit": [("event.republished", "event", admin.actor, {"dead_letter_id": str(letter)})],
                     "events": [("case.escalated", {}, True)]}  # back in the outbox, unpublished
    assert await service.retry_dead_letter(RetryDeadLetter(letter, "retry-1"), uow_of(platform, admin)) == letter
    e = await refused(service.retry_dead_letter(RetryDeadLetter(letter, "retry-2"), uow_of(platform, admin)))
    assert (e.code, e.field) == (ErrorCode.CONFLICT, "id")
    assert await records(owner_engine, org, event) == after
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT retried_by FROM dead_letters WHERE id = :l"), {"l": letter})).scalar() == admin.actor
