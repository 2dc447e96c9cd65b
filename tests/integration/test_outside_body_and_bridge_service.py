"""Outside-body and 12345-bridge use cases without GraphQL: a command and a unit of work against
the real database. A change commits with its audit row; a refusal writes nothing (not even the
idempotency key); another company's caller finds nothing; the signing secret is returned once and
is in no audit row and no idempotency result."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import text

from domain.errors import DomainError, ErrorCode
from domain.gov import service as gov
from domain.gov.commands import AddGovBridge, RotateGovBridgeSecret, SetGovBridgeActive
from domain.referrals import service as referrals
from domain.referrals.commands import AddOutsideBody, UpdateOutsideBody
from domain.referrals.model import BodyChanges, BodyKind, BodySpec, DeliveryMethod
from domain.unit_of_work import UnitOfWork
from tenants.principal import Grant, Principal
from tenants.roles import Role
from tests.conftest import add_user

HOOK = "https://hooks.example.org/firstcall"


def uow_of(platform, principal: Principal) -> UnitOfWork:
    return UnitOfWork(platform, org_id=principal.org_id, actor=principal.actor, scope=principal.scope, may=principal.can)


def person(org, role: Role, project: str | None = "P1") -> Principal:
    return Principal(kind="user", id=uuid.uuid4(), org_id=org.org_id,
                     grants=(Grant(role, org.projects[project] if project else None),))


async def records(owner_engine, org, entity: str) -> dict:
    """The company's rows of this kind, their audit rows and its idempotency keys with their results."""
    async with owner_engine.connect() as conn:
        audit = (await conn.execute(text("SELECT action, actor, entity_id, data FROM audit_log WHERE org_id = :o AND entity = :e "
                                         "ORDER BY id"), {"o": org.org_id, "e": entity})).all()
        keys = (await conn.execute(text("SELECT key, response FROM idempotency_keys WHERE org_id = :o ORDER BY key"),
                                   {"o": org.org_id})).all()
        table = "outside_bodies" if entity == "outside_body" else "gov_bridges"
        rows = (await conn.execute(text(f"SELECT id FROM {table} WHERE org_id = :o"), {"o": org.org_id})).scalars().all()
    return {"rows": rows, "audit": [tuple(a) for a in audit], "keys": [tuple(k) for k in keys]}


async def refused(use_case) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await use_case
    return caught.value


def hook_body(name: str = "街道办") -> BodySpec:
    return BodySpec(BodyKind.STREET_OFFICE, name, DeliveryMethod.WEBHOOK, HOOK)


async def test_adding_a_body_commits_its_audit_row_and_shows_the_secret_once(platform, owner_engine, org):
    manager = person(org, Role.PROJECT_MANAGER)
    cmd = AddOutsideBody(org.projects["P1"], hook_body(), "body-1")
    body_id, secret = await referrals.add_outside_body(cmd, uow_of(platform, manager), cipher=platform.cipher,
                                                       allow_loopback=False)
    assert secret and secret.startswith("fcs_")
    after = await records(owner_engine, org, "outside_body")
    assert after["rows"] == [body_id]
    assert after["audit"] == [("outside_body.added", manager.actor, body_id,
                               {"kind": "street_office", "name": "街道办", "delivery": "webhook"})]
    assert after["keys"] == [("body-1", {"body_id": str(body_id)})]
    assert secret not in json.dumps([after["audit"], after["keys"]], default=str)

    # The same key: the body, no secret, nothing more written.
    again = await referrals.add_outside_body(cmd, uow_of(platform, manager), cipher=platform.cipher, allow_loopback=False)
    assert again == (body_id, None)
    assert await records(owner_engine, org, "outside_body") == after

    # The same name again under a new key: refused, and nothing is written — not even the key.
    e = await refused(referrals.add_outside_body(AddOutsideBody(org.projects["P1"], cmd.spec, "body-2"),
                                                 uow_of(platform, manager), cipher=platform.cipher, allow_loopback=False))
    assert (e.code, e.field) == (ErrorCode.CONFLICT, "name")
    assert await records(owner_engine, org, "outside_body") == after


async def test_another_company_cannot_change_a_body(platform, owner_engine, org, other_org):
    manager = person(org, Role.PROJECT_MANAGER)
    body_id, _ = await referrals.add_outside_body(AddOutsideBody(org.projects["P1"], hook_body()), uow_of(platform, manager),
                                                  cipher=platform.cipher, allow_loopback=False)
    before = await records(owner_engine, org, "outside_body")
    stranger = person(other_org, Role.PROJECT_MANAGER)
    e = await refused(referrals.update_outside_body(UpdateOutsideBody(body_id, BodyChanges(active=False), "x-1"),
                                                    uow_of(platform, stranger), cipher=platform.cipher, allow_loopback=False))
    assert (e.code, e.field) == (ErrorCode.NOT_FOUND, "bodyId")
    # A manager of the other project of the same company: NOT_FOUND too (outside its reach).
    e = await refused(referrals.update_outside_body(UpdateOutsideBody(body_id, BodyChanges(active=False)),
                                                    uow_of(platform, person(org, Role.PROJECT_MANAGER, "P2")),
                                                    cipher=platform.cipher, allow_loopback=False))
    assert e.code is ErrorCode.NOT_FOUND
    assert await records(owner_engine, org, "outside_body") == before
    assert (await records(owner_engine, other_org, "outside_body"))["keys"] == []

    # Its own manager switches it off: the audit row says so, at commit.
    await referrals.update_outside_body(UpdateOutsideBody(body_id, BodyChanges(active=False)), uow_of(platform, manager),
                                        cipher=platform.cipher, allow_loopback=False)
    assert (await records(owner_engine, org, "outside_body"))["audit"][-1] == (
        "outside_body.updated", manager.actor, body_id, {"delivery": "webhook", "feedback_days": 5, "active": False})


async def test_a_bridge_is_added_switched_and_rekeyed_with_its_audit_rows(platform, owner_engine, org, other_org):
    receiver = await add_user(owner_engine, org, "receiver", "cs_agent", "P1")
    manager = person(org, Role.PROJECT_MANAGER)
    cmd = AddGovBridge(org.projects["P1"], "北京12345", "北京市", HOOK, receiver, "bridge-1")
    bridge_id, secret = await gov.add_gov_bridge(cmd, uow_of(platform, manager), cipher=platform.cipher, allow_loopback=False)
    after = await records(owner_engine, org, "gov_bridge")
    assert after["rows"] == [bridge_id]
    assert after["audit"] == [("gov_bridge.added", manager.actor, bridge_id,
                               {"name": "北京12345", "city": "北京市", "callback_url": HOOK, "receiver_id": str(receiver)})]
    assert after["keys"] == [("bridge-1", {"id": str(bridge_id)})]
    assert secret.startswith("fcs_") and secret not in json.dumps([after["audit"], after["keys"]], default=str)
    assert await gov.add_gov_bridge(cmd, uow_of(platform, manager), cipher=platform.cipher, allow_loopback=False) == (bridge_id, None)

    # Refusals write nothing: a receiver without a role here, another company, a role on another project.
    stranger = await add_user(owner_engine, other_org, "stranger", "cs_agent", "P1")
    e = await refused(gov.add_gov_bridge(AddGovBridge(org.projects["P1"], "二号", "北京市", HOOK, stranger, "bridge-2"),
                                         uow_of(platform, manager), cipher=platform.cipher, allow_loopback=False))
    assert (e.code, e.field) == (ErrorCode.NOT_FOUND, "receiverId")
    e = await refused(gov.set_gov_bridge_active(SetGovBridgeActive(bridge_id, False, "off-1"),
                                                uow_of(platform, person(other_org, Role.PROJECT_MANAGER))))
    assert (e.code, e.field) == (ErrorCode.NOT_FOUND, "integrationId")
    e = await refused(gov.rotate_gov_bridge_secret(RotateGovBridgeSecret(bridge_id),
                                                   uow_of(platform, person(org, Role.PROJECT_MANAGER, "P2")), cipher=platform.cipher))
    assert e.code is ErrorCode.NOT_FOUND
    e = await refused(gov.set_gov_bridge_active(SetGovBridgeActive(bridge_id, False), uow_of(platform, person(org, Role.CS_AGENT))))
    assert e.code is ErrorCode.FORBIDDEN
    assert await records(owner_engine, org, "gov_bridge") == after
    assert (await records(owner_engine, other_org, "gov_bridge"))["keys"] == []

    await gov.set_gov_bridge_active(SetGovBridgeActive(bridge_id, False), uow_of(platform, manager))
    _, new = await gov.rotate_gov_bridge_secret(RotateGovBridgeSecret(bridge_id, "rekey-1"), uow_of(platform, manager),
                                                cipher=platform.cipher)
    done = await records(owner_engine, org, "gov_bridge")
    assert done["audit"][1:] == [("gov_bridge.switched", manager.actor, bridge_id, {"active": False}),
                                 ("gov_bridge.secret_rotated", manager.actor, bridge_id, {})]
    assert new != secret and new not in json.dumps([done["audit"], done["keys"]], default=str)
    async with owner_engine.connect() as conn:
        stored = (await conn.execute(text("SELECT secret_enc FROM gov_bridges WHERE id = :b"), {"b": bridge_id})).scalar_one()
    assert platform.cipher.decrypt(stored) == new
