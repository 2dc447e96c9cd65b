"""The alert use cases without GraphQL: a command and a unit of work against the real database.
A change commits with its audit row and its outbox event; a refusal writes nothing (not even the
idempotency key); the same key again answers the first result and writes nothing more."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from domain.alerts import service
from domain.alerts.commands import AcknowledgeAlert, ResolveAlert
from domain.errors import DomainError, ErrorCode, ErrorReason
from domain.unit_of_work import UnitOfWork
from tenants.context import TenantScope
from tenants.principal import Grant, Principal
from tenants.roles import Role


def uow_of(platform, principal: Principal) -> UnitOfWork:
    return UnitOfWork(platform, org_id=principal.org_id, actor=principal.actor, scope=principal.scope, may=principal.can)


def person(org, role: Role, project: str | None = None) -> Principal:
    return Principal(kind="user", id=uuid.uuid4(), org_id=org.org_id,
                     grants=(Grant(role, org.projects[project] if project else None),))


async def an_alert(owner_engine, org, project: str = "P1") -> uuid.UUID:
    async with owner_engine.begin() as conn:
        return (await conn.execute(text(
            "INSERT INTO alerts (org_id, project_id, rule, scope_key, colour, title, detail, case_ids) "
            "VALUES (:o, :p, 'risk_words', :s, 'red', '风险词', '媒体', '{}') RETURNING id"),
            {"o": org.org_id, "p": org.projects[project], "s": f"case:{uuid.uuid4()}"})).scalar_one()


async def written(owner_engine, org, alert_id) -> dict:
    """What the database holds about this alert: its row, its audit rows, its events, the keys."""
    async with owner_engine.connect() as conn:
        row = (await conn.execute(text("SELECT state, acknowledged_by, resolved_by, resolution_note FROM alerts WHERE id = :a"),
                                  {"a": alert_id})).one()
        audit = (await conn.execute(text("SELECT action, actor, data FROM audit_log WHERE org_id = :o AND entity_id = :a "
                                         "ORDER BY id"), {"o": org.org_id, "a": alert_id})).all()
        events = (await conn.execute(text("SELECT topic, payload FROM outbox WHERE org_id = :o AND payload->>'alert_id' = :a "
                                          "AND topic <> 'alert.raised' ORDER BY created_at"),
                                     {"o": org.org_id, "a": str(alert_id)})).all()
        keys = (await conn.execute(text("SELECT key FROM idempotency_keys WHERE org_id = :o ORDER BY key"),
                                   {"o": org.org_id})).scalars().all()
    return {"row": tuple(row), "audit": [tuple(a) for a in audit], "events": [tuple(e) for e in events], "keys": keys}


async def refused(use_case) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await use_case
    return caught.value


async def test_acknowledge_commits_the_change_its_audit_row_and_its_event(platform, owner_engine, org):
    hq = person(org, Role.HQ_SUPERVISOR)
    a = await an_alert(owner_engine, org)
    assert await service.acknowledge_alert(AcknowledgeAlert(a, "ack-1"), uow_of(platform, hq)) == a
    after = await written(owner_engine, org, a)
    assert after == {"row": ("acknowledged", hq.actor, None, None), "audit": [("alert.acknowledged", hq.actor, {})],
                     "events": [("alert.acknowledged", {"alert_id": str(a), "actor": hq.actor})], "keys": ["ack-1"]}

    # The same key again: the first answer, nothing more written.
    assert await service.acknowledge_alert(AcknowledgeAlert(a, "ack-1"), uow_of(platform, hq)) == a
    assert await written(owner_engine, org, a) == after

    # A new key: the rule refuses, and nothing is written — not even the key.
    e = await refused(service.acknowledge_alert(AcknowledgeAlert(a, "ack-2"), uow_of(platform, hq)))
    assert (e.code, e.reason) == (ErrorCode.INVALID_STATE, ErrorReason.ALERT_ALREADY_ACKNOWLEDGED)
    assert await written(owner_engine, org, a) == after


async def test_resolve_once_per_key_and_never_twice(platform, owner_engine, org):
    hq = person(org, Role.HQ_SUPERVISOR)
    a = await an_alert(owner_engine, org)
    await service.resolve_alert(ResolveAlert(a, "已更换防水层", "fix-1"), uow_of(platform, hq))
    after = await written(owner_engine, org, a)
    assert after["row"] == ("resolved", hq.actor, hq.actor, "已更换防水层")
    assert after["audit"] == [("alert.resolved", hq.actor, {"note": "已更换防水层"})]
    assert [t for t, _ in after["events"]] == ["alert.resolved"]

    await service.resolve_alert(ResolveAlert(a, "已更换防水层", "fix-1"), uow_of(platform, hq))
    assert await written(owner_engine, org, a) == after
    e = await refused(service.resolve_alert(ResolveAlert(a, "另一个说法", "fix-1"), uow_of(platform, hq)))
    assert (e.code, e.field) == (ErrorCode.CONFLICT, "idempotencyKey")
    e = await refused(service.resolve_alert(ResolveAlert(a, "再次", "fix-2"), uow_of(platform, hq)))
    assert (e.code, e.reason) == (ErrorCode.INVALID_STATE, ErrorReason.ALERT_ALREADY_RESOLVED)
    e = await refused(service.acknowledge_alert(AcknowledgeAlert(a), uow_of(platform, hq)))
    assert (e.code, e.reason) == (ErrorCode.INVALID_STATE, ErrorReason.ALERT_ALREADY_RESOLVED)
    assert await written(owner_engine, org, a) == after


async def test_walls_and_permissions(platform, owner_engine, org, other_org):
    a = await an_alert(owner_engine, org)
    before = await written(owner_engine, org, a)
    # Another company's alert, or one in a project outside the caller's: not found, never changed.
    for outsider in (person(other_org, Role.HQ_SUPERVISOR), person(org, Role.PROJECT_MANAGER, "P2")):
        e = await refused(service.acknowledge_alert(AcknowledgeAlert(a), uow_of(platform, outsider)))
        assert (e.code, e.field) == (ErrorCode.NOT_FOUND, "alertId")
    # In reach but without alert:handle.
    e = await refused(service.acknowledge_alert(AcknowledgeAlert(a), uow_of(platform, person(org, Role.CS_AGENT, "P1"))))
    assert e.code is ErrorCode.FORBIDDEN
    assert await written(owner_engine, org, a) == before


async def test_a_worker_uses_the_same_use_case_without_a_person(platform, owner_engine, org):
    a = await an_alert(owner_engine, org)
    uow = UnitOfWork(platform, org_id=org.org_id, actor="system:test", scope=TenantScope(org.org_id, None, "system:test"))
    await service.acknowledge_alert(AcknowledgeAlert(a), uow)
    after = await written(owner_engine, org, a)
    assert after["row"][:2] == ("acknowledged", "system:test")
    assert after["audit"] == [("alert.acknowledged", "system:test", {})]


async def test_a_unit_of_work_left_without_commit_writes_nothing(platform, owner_engine, org):
    a = await an_alert(owner_engine, org)
    hq = person(org, Role.HQ_SUPERVISOR)
    before = await written(owner_engine, org, a)
    async with uow_of(platform, hq) as uow:
        await uow.claim("left", "acknowledgeAlert", {"alertId": str(a)})
        await uow.conn.execute(text("UPDATE alerts SET state = 'acknowledged' WHERE id = :a"), {"a": a})
    assert await written(owner_engine, org, a) == before
