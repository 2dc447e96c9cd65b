"""内部通报 through the service, without GraphQL: a draft is audited at commit, its publication
audited with the event it announced; a refused withdrawal writes nothing; another company's
bulletin is NOT_FOUND and stays as it was."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from domain.errors import DomainError, ErrorCode
from domain.reviews import service
from domain.reviews.commands import DraftBulletin, PublishBulletin, WithdrawBulletin
from domain.reviews.rules import BulletinDraft
from domain.unit_of_work import UnitOfWork
from tenants.principal import Grant, Principal
from tenants.roles import Role

TODAY = date(2026, 12, 7)
NOTICE = BulletinDraft(kind="notice", title="十一月服务情况", body="本月投诉量下降。", month=date(2026, 11, 15))


def uow_of(platform, org) -> UnitOfWork:
    p = Principal(kind="user", id=org.admin_id, org_id=org.org_id, grants=(Grant(Role.ORG_ADMIN, None),))
    return UnitOfWork(platform, org_id=p.org_id, actor=p.actor, scope=p.scope, may=p.can)


async def _records(owner_engine, bulletin_id) -> tuple[str, list[tuple]]:
    async with owner_engine.connect() as conn:
        state = (await conn.execute(text("SELECT state FROM bulletins WHERE id = :b"), {"b": bulletin_id})).scalar_one()
        audit = [tuple(r) for r in await conn.execute(text(
            "SELECT a.action, a.to_state, o.topic FROM audit_log a LEFT JOIN outbox o ON o.org_id = a.org_id AND o.id = a.event_id "
            "WHERE a.entity_id = :b ORDER BY a.at, a.action"), {"b": bulletin_id})]
    return state, audit


async def test_a_bulletin_is_audited_at_commit_and_a_refusal_writes_nothing(platform, owner_engine, org, other_org):
    bid = await service.draft_bulletin(DraftBulletin(org.projects["P1"], NOTICE), uow_of(platform, org), today=TODAY)
    assert await _records(owner_engine, bid) == ("draft", [("bulletin.drafted", "draft", None)])

    assert await service.publish_bulletin(PublishBulletin(bid), uow_of(platform, org)) == bid
    published = ("published", [("bulletin.drafted", "draft", None), ("bulletin.published", "published", "bulletin.published")])
    assert await _records(owner_engine, bid) == published

    with pytest.raises(DomainError) as e:  # a withdrawal must say why
        await service.withdraw_bulletin(WithdrawBulletin(bid, "  "), uow_of(platform, org))
    assert (e.value.code, e.value.field) == (ErrorCode.VALIDATION, "reason")
    assert await _records(owner_engine, bid) == published

    # Another company's bulletin is not found, and stays a draft with its one audit row.
    theirs = await service.draft_bulletin(DraftBulletin(other_org.projects["P1"], NOTICE), uow_of(platform, other_org), today=TODAY)
    for attempt in (service.publish_bulletin(PublishBulletin(theirs), uow_of(platform, org)),
                    service.draft_bulletin(DraftBulletin(other_org.projects["P1"], NOTICE), uow_of(platform, org), today=TODAY)):
        with pytest.raises(DomainError) as e:
            await attempt
        assert e.value.code is ErrorCode.NOT_FOUND
    assert await _records(owner_engine, theirs) == ("draft", [("bulletin.drafted", "draft", None)])
