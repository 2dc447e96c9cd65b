"""Entering a body's feedback and taking a referral back, without GraphQL: a command and a unit of
work against the real database (the referred case is set up through the API). A change commits
with the case's audit row and the referral's history; a refusal writes nothing, not even the
idempotency key; another company's caller finds nothing."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from api.graphql.types.node import parse_global_id
from domain.errors import DomainError, ErrorCode
from domain.referrals import service
from domain.referrals.commands import RecordReferralFeedback, WithdrawReferral
from domain.referrals.model import Feedback
from domain.unit_of_work import UnitOfWork
from tenants.principal import Grant, Principal
from tenants.roles import Role
from tests.api.conftest import desk  # noqa: F401 — fixture
from tests.api.test_referrals import referred


def uow_of(platform, principal: Principal) -> UnitOfWork:
    return UnitOfWork(platform, org_id=principal.org_id, actor=principal.actor, scope=principal.scope, may=principal.can)


async def records(owner_engine, org, referral_id: uuid.UUID) -> dict:
    """The referral's status and history, the company's case audit rows and its idempotency keys."""
    async with owner_engine.connect() as conn:
        status = (await conn.execute(text("SELECT status FROM referrals WHERE id = :r"), {"r": referral_id})).scalar_one()
        history = (await conn.execute(text("SELECT kind, via, note, actor FROM referral_updates WHERE referral_id = :r ORDER BY at, kind"),
                                      {"r": referral_id})).all()
        audit = (await conn.execute(text("SELECT action, actor, to_state FROM audit_log WHERE org_id = :o AND entity = 'case' "
                                         "ORDER BY id"), {"o": org.org_id})).all()
        keys = (await conn.execute(text("SELECT key, response FROM idempotency_keys WHERE org_id = :o ORDER BY key"),
                                   {"o": org.org_id})).all()
    return {"status": status, "history": [tuple(h) for h in history], "audit": [tuple(a) for a in audit],
            "keys": [tuple(k) for k in keys]}


async def refused(use_case) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await use_case
    return caught.value


async def test_a_withdrawal_commits_with_its_rows_and_a_refusal_writes_nothing(gql, desk, org, other_org,  # noqa: F811
                                                                              owner_engine, platform):
    _, _, r = await referred(gql, desk)
    rid = parse_global_id(r["id"])[1]
    sup = Principal(kind="user", id=parse_global_id(desk["sup"][0])[1], org_id=org.org_id,
                    grants=(Grant(Role.CS_SUPERVISOR, org.projects["P1"]),))
    before = await records(owner_engine, org, rid)

    # Another company's supervisor, the same company's of another project, a reason left empty:
    # refused, and nothing is written — not even the key.
    stranger = Principal(kind="user", id=uuid.uuid4(), org_id=other_org.org_id,
                         grants=(Grant(Role.CS_SUPERVISOR, other_org.projects["P1"]),))
    e = await refused(service.withdraw_referral(WithdrawReferral(rid, "我们自己处理", stranger.id, "w-1"), uow_of(platform, stranger)))
    assert (e.code, e.field) == (ErrorCode.NOT_FOUND, "referralId")
    elsewhere = Principal(kind="user", id=uuid.uuid4(), org_id=org.org_id, grants=(Grant(Role.CS_SUPERVISOR, org.projects["P2"]),))
    e = await refused(service.withdraw_referral(WithdrawReferral(rid, "我们自己处理", elsewhere.id, "w-1"), uow_of(platform, elsewhere)))
    assert e.code is ErrorCode.NOT_FOUND
    e = await refused(service.withdraw_referral(WithdrawReferral(rid, "  ", sup.id, "w-1"), uow_of(platform, sup)))
    assert (e.code, e.field) == (ErrorCode.VALIDATION, "reason")
    assert await records(owner_engine, org, rid) == before
    assert (await records(owner_engine, other_org, rid))["keys"] == []

    # Taken back: the case is committed again (its audit row, by the supervisor), the history says so.
    assert await service.withdraw_referral(WithdrawReferral(rid, "我们自己处理", sup.id, "w-1"), uow_of(platform, sup)) == rid
    after = await records(owner_engine, org, rid)
    assert after["status"] == "withdrawn"
    assert after["history"][len(before["history"]):] == [("withdrawn", "staff", "我们自己处理", sup.actor)]
    assert [(a, who) for a, who, _ in after["audit"][len(before["audit"]):]] == [("case.referral_withdrawn", sup.actor)]
    assert after["keys"] == [("w-1", {"referral_id": str(rid)})]

    # The same key: the same referral, nothing more; feedback on a withdrawn referral is refused.
    assert await service.withdraw_referral(WithdrawReferral(rid, "我们自己处理", sup.id, "w-1"), uow_of(platform, sup)) == rid
    e = await refused(service.record_referral_feedback(RecordReferralFeedback(rid, Feedback.ANSWERED, "已处理", sup.id, "f-1"),
                                                       uow_of(platform, sup)))
    assert e.code is ErrorCode.INVALID_STATE
    assert await records(owner_engine, org, rid) == after


async def test_an_answer_entered_resolves_the_case(gql, desk, org, owner_engine, platform):  # noqa: F811
    _, _, r = await referred(gql, desk)
    rid = parse_global_id(r["id"])[1]
    sup = Principal(kind="user", id=parse_global_id(desk["sup"][0])[1], org_id=org.org_id,
                    grants=(Grant(Role.CS_SUPERVISOR, org.projects["P1"]),))
    before = await records(owner_engine, org, rid)
    e = await refused(service.record_referral_feedback(RecordReferralFeedback(rid, Feedback.ANSWERED, None, sup.id),
                                                       uow_of(platform, sup)))
    assert (e.code, e.field) == (ErrorCode.VALIDATION, "outcome")
    assert await records(owner_engine, org, rid) == before

    cmd = RecordReferralFeedback(rid, Feedback.ANSWERED, "已责令拆除", sup.id, "f-1")
    assert await service.record_referral_feedback(cmd, uow_of(platform, sup)) == rid
    after = await records(owner_engine, org, rid)
    assert after["status"] == "answered"
    assert after["history"][len(before["history"]):] == [("answered", "staff", "已责令拆除", sup.actor)]
    assert [(a, who, to) for a, who, to in after["audit"][len(before["audit"]):]] == [
        ("case.resolved", sup.actor, "resolved")]
    assert after["keys"] == [("f-1", {"referral_id": str(rid)})]
