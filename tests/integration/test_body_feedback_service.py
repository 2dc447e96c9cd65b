"""An outside body's signed 签收 and 答复, through the referrals service without HTTP: the unit of
work a signed request gets (the body as actor, no user permissions, the wall of its project). The
acknowledgement commits with the case's audit row and one event; another body, or a body of
another company, finds nothing and changes nothing."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from api.graphql.types.node import parse_global_id
from domain.errors import DomainError, ErrorCode
from domain.referrals import service
from domain.referrals.commands import ReceiveBodyFeedback
from domain.referrals.model import Feedback
from domain.unit_of_work import UnitOfWork
from tenants.context import TenantScope
from tests.api.conftest import desk  # noqa: F401 — fixture
from tests.api.test_referrals import referred


def as_body(platform, org, project_id: uuid.UUID, body_id: uuid.UUID) -> UnitOfWork:
    """As api/inbound/signed.py makes it (there inside the request's own transaction)."""
    scope = TenantScope(org.org_id, frozenset({project_id}), f"inbound:outside_body:{body_id}")
    return UnitOfWork(platform, org_id=org.org_id, actor=f"outside_body:{body_id}", scope=scope, may=None)


async def written(owner_engine, org) -> dict:
    async with owner_engine.connect() as conn:
        def rows(sql: str):
            return conn.execute(text(sql), {"o": org.org_id})
        return {
            "referrals": (await rows("SELECT id, status FROM referrals WHERE org_id = :o")).all(),
            "events": (await rows("SELECT topic FROM outbox WHERE org_id = :o AND topic LIKE 'referral.%' "
                                  "ORDER BY created_at, id")).scalars().all(),
            "audit": (await rows("SELECT action, actor FROM audit_log WHERE org_id = :o AND action = "
                                 "'case.referral_acknowledged'")).all(),
        }


async def test_a_body_acknowledges_its_own_referral_and_no_other(gql, desk, org, other_org, owner_engine, platform):  # noqa: F811
    _, body, r = await referred(gql, desk)
    rid, body_id = parse_global_id(r["id"])[1], parse_global_id(body["body"]["id"])[1]
    project = org.projects["P1"]
    before = await written(owner_engine, org)
    ack = ReceiveBodyFeedback(body_id=body_id, referral_id=rid, feedback=Feedback.ACKNOWLEDGED, words="已收到")

    # Another body of the same project, and the same body's id in another company's wall: not found.
    with pytest.raises(DomainError) as caught:
        await service.receive_body_feedback(ReceiveBodyFeedback(uuid.uuid4(), rid, Feedback.ACKNOWLEDGED, None),
                                            as_body(platform, org, project, uuid.uuid4()))
    assert (caught.value.code, caught.value.field) == (ErrorCode.NOT_FOUND, "referralId")
    with pytest.raises(DomainError) as caught:
        await service.receive_body_feedback(ack, as_body(platform, other_org, other_org.projects["P1"], body_id))
    assert caught.value.code is ErrorCode.NOT_FOUND
    assert await written(owner_engine, org) == before

    assert await service.receive_body_feedback(ack, as_body(platform, org, project, body_id)) == "acknowledged"
    after = await written(owner_engine, org)
    assert [tuple(x) for x in after["referrals"]] == [(rid, "acknowledged")]
    assert after["events"] == [*before["events"], "referral.acknowledged"]
    assert [tuple(a) for a in after["audit"]] == [("case.referral_acknowledged", f"outside_body:{body_id}")]
