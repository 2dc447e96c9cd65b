"""Adding and switching a delivery channel without GraphQL: a command and a unit of work against
the real database. The audit row is written at commit and never holds the signing secret, nor does
the idempotency key; a refusal writes nothing; another company's channel or project is not found."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from domain.errors import DomainError, ErrorCode
from domain.notifications import service
from domain.notifications.channels import ChannelKind, ChannelSpec
from domain.notifications.commands import AddDeliveryChannel, SetDeliveryChannelActive
from domain.unit_of_work import UnitOfWork
from tenants.principal import Grant, Principal
from tenants.roles import Role

SECRET = "s3cret-signing-key-0123456789"
HOOK = ChannelSpec(ChannelKind.WEBHOOK, " 工单系统 ", "https://hooks.example.com/firstcall", ("case.escalated",), SECRET)


def uow_of(platform, org, role: Role = Role.ORG_ADMIN, project: uuid.UUID | None = None) -> UnitOfWork:
    p = Principal(kind="user", id=org.admin_id, org_id=org.org_id, grants=(Grant(role, project),))
    return UnitOfWork(platform, org_id=p.org_id, actor=p.actor, scope=p.scope, may=p.can)


def add(platform, org, cmd: AddDeliveryChannel, **who):
    return service.add_delivery_channel(cmd, uow_of(platform, org, **who), seal=platform.cipher.encrypt,
                                        hash_secret=platform.signer.hash_secret, allow_loopback=False)


async def stored(owner_engine, org) -> dict:
    async with owner_engine.connect() as conn:
        channels = (await conn.execute(text("SELECT id, name, active, secret_enc FROM delivery_channels WHERE org_id = :o"),
                                       {"o": org.org_id})).all()
        audit = (await conn.execute(text("SELECT action, entity_id, actor, data::text AS data FROM audit_log WHERE org_id = :o "
                                         "AND entity = 'delivery_channel' ORDER BY id"), {"o": org.org_id})).all()
        keys = (await conn.execute(text("SELECT response::text FROM idempotency_keys WHERE org_id = :o"),
                                   {"o": org.org_id})).scalars().all()
    return {"channels": channels, "audit": [tuple(a) for a in audit], "keys": keys}


async def refused(use_case) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await use_case
    return caught.value


async def test_a_channel_is_added_with_its_audit_row_and_no_secret_outside_the_channel(platform, owner_engine, org):
    channel_id = await add(platform, org, AddDeliveryChannel(HOOK, org.projects["P1"], "add-1"))
    after = await stored(owner_engine, org)
    [(cid, name, active, sealed)] = after["channels"]
    assert (cid, name, active) == (channel_id, "工单系统", True)
    assert platform.cipher.decrypt(bytes(sealed)) == SECRET  # sealed at rest, as before
    [(action, entity_id, actor, data)] = after["audit"]
    assert (action, entity_id, actor) == ("channel.added", channel_id, f"user:{org.admin_id}")
    assert SECRET not in data and "name" in data
    assert after["keys"] == [f'{{"channel_id": "{channel_id}"}}']
    # The same key again: the first channel, nothing more written.
    assert await add(platform, org, AddDeliveryChannel(HOOK, org.projects["P1"], "add-1")) == channel_id
    assert await stored(owner_engine, org) == after


async def test_refusals_write_nothing(platform, owner_engine, org, other_org):
    unsigned = ChannelSpec(ChannelKind.WEBHOOK, "钩子", "https://hooks.example.com/x", ("case.escalated",))
    e = await refused(add(platform, org, AddDeliveryChannel(unsigned, None, "k1")))
    assert (e.code, e.field) == (ErrorCode.VALIDATION, "secret")
    # Another company's project is not found; a project manager may not manage channels.
    e = await refused(add(platform, org, AddDeliveryChannel(HOOK, other_org.projects["P1"], "k2")))
    assert (e.code, e.field) == (ErrorCode.NOT_FOUND, "projectId")
    e = await refused(add(platform, org, AddDeliveryChannel(HOOK, None, "k3"), role=Role.PROJECT_MANAGER,
                          project=org.projects["P1"]))
    assert e.code is ErrorCode.FORBIDDEN
    assert await stored(owner_engine, org) == {"channels": [], "audit": [], "keys": []}


async def test_switching_is_audited_at_commit_and_walled(platform, owner_engine, org, other_org):
    channel_id = await add(platform, org, AddDeliveryChannel(HOOK))
    assert await service.set_delivery_channel_active(SetDeliveryChannelActive(channel_id, False),
                                                     uow_of(platform, org)) == channel_id
    after = await stored(owner_engine, org)
    assert after["channels"][0].active is False
    assert [(a[0], a[1], a[3]) for a in after["audit"]] == [("channel.added", channel_id, after["audit"][0][3]),
                                                            ("channel.switched", channel_id, '{"active": false}')]
    # Another company's admin: not found, and nothing changes.
    e = await refused(service.set_delivery_channel_active(SetDeliveryChannelActive(channel_id, True),
                                                          uow_of(platform, other_org)))
    assert (e.code, e.field) == (ErrorCode.NOT_FOUND, "channelId")
    assert await stored(owner_engine, org) == after
