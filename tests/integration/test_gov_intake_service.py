"""What a 12345 bridge sends, through the gov service without HTTP: the unit of work a signed
request gets (the bridge as actor, no user permissions, the wall of its project). An order makes
its case, its order row and one `gov_order.received`; the same order again makes nothing; an
evaluation is recorded once; a bridge of one company reaches nothing of another."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from domain.errors import DomainError, ErrorCode
from domain.gov import service as gov
from domain.gov.commands import AddGovBridge, AnswerOrder, ReceiveEvaluation, ReceiveOrder
from domain.gov.model import AnswerKind, Evaluation
from domain.unit_of_work import UnitOfWork
from tenants.context import TenantScope
from tenants.principal import Grant, Principal
from tenants.roles import Role
from tests.conftest import add_user


def order(number: str = "BJ-2026-0001") -> dict:
    return {"type": "order", "order_number": number, "category": "物业管理", "category_code": "public_area", "urgency": "day",
            "content": "小区东门路灯不亮，夜间出行不便", "address": "东门", "requester": {"name": "李女士", "phone": "13800138000"}}


async def add_bridge(platform, owner_engine, org, tag: str) -> uuid.UUID:
    receiver = await add_user(owner_engine, org, f"receiver-{tag}", "cs_agent", "P1")
    manager = Principal(kind="user", id=uuid.uuid4(), org_id=org.org_id, grants=(Grant(Role.PROJECT_MANAGER, org.projects["P1"]),))
    uow = UnitOfWork(platform, org_id=org.org_id, actor=manager.actor, scope=manager.scope, may=manager.can)
    bridge_id, _ = await gov.add_gov_bridge(AddGovBridge(org.projects["P1"], "北京12345", "北京市", "https://gov.example.org/cb",
                                                         receiver), uow, cipher=platform.cipher, allow_loopback=False)
    return bridge_id


def as_bridge(platform, org, bridge_id: uuid.UUID) -> UnitOfWork:
    """As api/inbound/signed.py makes it (there inside the request's own transaction)."""
    scope = TenantScope(org.org_id, frozenset({org.projects["P1"]}), f"inbound:gov_bridge:{bridge_id}")
    return UnitOfWork(platform, org_id=org.org_id, actor=f"bridge:{bridge_id}", scope=scope, may=None)


async def written(owner_engine, org) -> dict:
    async with owner_engine.connect() as conn:
        def rows(sql: str):
            return conn.execute(text(sql), {"o": org.org_id})
        return {
            "cases": (await rows("SELECT id, channel FROM cases WHERE org_id = :o")).all(),
            "orders": (await rows("SELECT id, case_id, order_number, evaluation FROM gov_orders WHERE org_id = :o")).all(),
            "events": (await rows("SELECT topic, payload FROM outbox WHERE org_id = :o AND topic LIKE 'gov_order.%' "
                                  "ORDER BY created_at, id")).all(),
            "audit": (await rows("SELECT action, actor, entity_id, data FROM audit_log WHERE org_id = :o "
                                 "AND entity = 'gov_order' ORDER BY id")).all(),
        }


async def refused(use_case) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await use_case
    return caught.value


async def test_an_order_makes_its_case_and_one_event_and_the_same_order_again_makes_nothing(platform, owner_engine, org):
    bridge_id = await add_bridge(platform, owner_engine, org, "a")
    got = await gov.receive_order(ReceiveOrder(bridge_id, order()), as_bridge(platform, org, bridge_id), cipher=platform.cipher)
    after = await written(owner_engine, org)
    assert [(c.channel) for c in after["cases"]] == ["gov_12345"]
    assert [(o.id, o.case_id, o.order_number) for o in after["orders"]] == [(got.order_id, after["cases"][0].id, "BJ-2026-0001")]
    assert [e.topic for e in after["events"]] == ["gov_order.received"]
    payload = after["events"][0].payload
    assert (payload["order_id"], payload["case_id"], payload["urgency"]) == (str(got.order_id), str(after["cases"][0].id), "day")
    assert got.case_number in payload["summary"] and payload["resolve_due"] == got.resolve_due.isoformat()
    assert [(a.action, a.actor, a.entity_id) for a in after["audit"]] == [("gov_order.received", f"bridge:{bridge_id}", got.order_id)]

    # The government sends the same order again (a new delivery id does not make it new): refused, nothing written.
    e = await refused(gov.receive_order(ReceiveOrder(bridge_id, order()), as_bridge(platform, org, bridge_id),
                                        cipher=platform.cipher))
    assert (e.code, e.field) == (ErrorCode.CONFLICT, "order_number")
    assert e.message == ("order_number: 此前已收到12345工单 BJ-2026-0001，换了投递编号也不算新工单。"
                         "Order BJ-2026-0001 was received before; a new delivery id does not make it a new order.")
    assert await written(owner_engine, org) == after


async def test_an_evaluation_is_recorded_once_the_order_is_finished(platform, owner_engine, org):
    bridge_id = await add_bridge(platform, owner_engine, org, "a")
    got = await gov.receive_order(ReceiveOrder(bridge_id, order()), as_bridge(platform, org, bridge_id), cipher=platform.cipher)
    evaluate = ReceiveEvaluation(bridge_id, "BJ-2026-0001", Evaluation.SATISFIED)
    e = await refused(gov.receive_evaluation(evaluate, as_bridge(platform, org, bridge_id)))
    assert e.code is ErrorCode.INVALID_STATE

    supervisor = await add_user(owner_engine, org, "supervisor", "cs_supervisor", "P1")
    boss = Principal(kind="user", id=supervisor, org_id=org.org_id, grants=(Grant(Role.CS_SUPERVISOR, org.projects["P1"]),))
    await gov.answer_order(AnswerOrder(got.order_id, AnswerKind.RETURNED, supervisor, reason="不属于物业职责"),
                           UnitOfWork(platform, org_id=org.org_id, actor=boss.actor, scope=boss.scope, may=boss.can))
    assert await gov.receive_evaluation(evaluate, as_bridge(platform, org, bridge_id)) == got.order_id
    after = await written(owner_engine, org)
    assert [o.evaluation for o in after["orders"]] == ["satisfied"]
    assert [e.topic for e in after["events"]] == ["gov_order.received", "gov_order.answered", "gov_order.evaluated"]
    assert after["events"][-1].payload["summary"] == "12345工单 BJ-2026-0001 的政府评价：满意。"
    assert after["audit"][-1][:2] == ("gov_order.evaluated", f"bridge:{bridge_id}")


async def test_a_bridge_of_one_company_reaches_nothing_of_another(platform, owner_engine, org, other_org):
    ours = await add_bridge(platform, owner_engine, org, "a")
    theirs = await add_bridge(platform, owner_engine, other_org, "b")
    await gov.receive_order(ReceiveOrder(theirs, order("B-1")), as_bridge(platform, other_org, theirs), cipher=platform.cipher)
    before = await written(owner_engine, other_org)

    # Our bridge's unit of work, naming their bridge: not found, nothing made in either company.
    e = await refused(gov.receive_order(ReceiveOrder(theirs, order("B-2")), as_bridge(platform, org, theirs),
                                        cipher=platform.cipher))
    assert (e.code, e.field) == (ErrorCode.NOT_FOUND, "bridgeId")
    # Their order by number, through their bridge's id or ours: not found.
    for bridge_id in (theirs, ours):
        e = await refused(gov.receive_evaluation(ReceiveEvaluation(bridge_id, "B-1", Evaluation.DISSATISFIED),
                                                 as_bridge(platform, org, bridge_id)))
        assert (e.code, e.field) == (ErrorCode.NOT_FOUND, "order_number")
    assert await written(owner_engine, other_org) == before
    assert (await written(owner_engine, org))["orders"] == []
