"""The shared signed-integration aggregate, as each kind records it, and the owner-or-permission
rule of the unit of work."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.calls.integrations import TelephonyIntegration
from domain.errors import DomainError
from domain.fees.integrations import PaymentIntegration
from domain.gov.integration import GovBridge
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission


def test_each_kind_records_its_own_audit_rows():
    org, project = uuid4(), uuid4()
    pay = PaymentIntegration.add(org_id=org, project_id=project, name=" 小程序 ", secret_enc=b"s1", by="user:a")
    pay.switch(False, by="user:a")
    pay.rotate_secret(b"s2", by="user:b")
    assert [(e.action, e.entity, e.entity_id, e.project_id, e.data, e.actor) for e in pay.audit] == [
        ("payment_integration.added", "payment_integration", pay.id, project, {"name": "小程序"}, "user:a"),
        ("payment_integration.switched", "payment_integration", pay.id, project, {"active": False}, "user:a"),
        ("payment_integration.secret_rotated", "payment_integration", pay.id, project, None, "user:b")]
    assert (pay.name, pay.active, pay.secret_enc) == ("小程序", False, b"s2")

    phone = TelephonyIntegration.add(org_id=org, project_id=project, name="呼叫中心", secret_enc=b"s", by="user:a",
                                     ring_seconds=7)
    assert (phone.ring_seconds, phone.audit[0].action, phone.audit[0].data) == (
        7, "telephony_integration.added", {"name": "呼叫中心", "ring_seconds": 7})


def test_a_12345_bridge_is_one_kind_with_its_own_settings():
    org, project, receiver = uuid4(), uuid4(), uuid4()
    bridge = GovBridge.add(org_id=org, project_id=project, name=" 北京12345 ", secret_enc=b"s", by="user:a", city=" 北京市 ",
                           callback_url="https://12345.example.gov.cn/cb", receiver_id=receiver, allow_loopback=False)
    bridge.switch(False, by="user:a")
    assert [(e.action, e.entity, e.data) for e in bridge.audit] == [
        ("gov_bridge.added", "gov_bridge", {"name": "北京12345", "city": "北京市", "callback_url": "https://12345.example.gov.cn/cb",
                                            "receiver_id": receiver}),
        ("gov_bridge.switched", "gov_bridge", {"active": False})]
    with pytest.raises(DomainError) as refused:
        GovBridge.add(org_id=org, project_id=project, name="x", secret_enc=b"s", by="user:a", city="北京市",
                      callback_url="ftp://12345.example.gov.cn", receiver_id=receiver, allow_loopback=False)
    assert refused.value.field == "callbackUrl"


def test_ring_length_is_checked_before_the_name():
    with pytest.raises(DomainError) as refused:
        TelephonyIntegration.add(org_id=uuid4(), project_id=uuid4(), name="", secret_enc=b"s", by="user:a", ring_seconds=61)
    assert refused.value.field == "ringSeconds"


def test_owner_or_a_holder_of_the_permission():
    owner, project = uuid4(), uuid4()

    def uow(actor: str, holds: bool) -> UnitOfWork:
        return UnitOfWork(None, org_id=uuid4(), actor=actor, scope=None,  # type: ignore[arg-type]
                          may=lambda permission, where: holds and permission is Permission.HAZARD_MANAGE and where == project)

    assert uow(f"user:{owner}", holds=False).owner_or_may(owner, Permission.HAZARD_MANAGE, project)
    assert uow(f"user:{uuid4()}", holds=True).owner_or_may(owner, Permission.HAZARD_MANAGE, project)
    assert not uow(f"user:{uuid4()}", holds=False).owner_or_may(owner, Permission.HAZARD_MANAGE, project)
    assert not uow(f"api_key:{owner}", holds=False).owner_or_may(owner, Permission.HAZARD_MANAGE, project)
    assert not uow(f"user:{owner}", holds=False).owner_or_may(None, Permission.HAZARD_MANAGE, project)
