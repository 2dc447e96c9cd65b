"""决策反馈 through the service, without GraphQL: a step is audited at commit with the event it
announced; a report without a recurring problem, and a step out of order, write nothing; another
company's project and item are NOT_FOUND and stay as they were."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from domain.errors import DomainError, ErrorCode
from domain.feedback import service
from domain.feedback.commands import AdvanceDecisionFeedback, ReportDecisionFeedback
from domain.feedback.model import Status
from domain.unit_of_work import UnitOfWork
from tenants.principal import Grant, Principal
from tenants.roles import Role


def uow_of(platform, org) -> UnitOfWork:
    p = Principal(kind="user", id=org.admin_id, org_id=org.org_id, grants=(Grant(Role.ORG_ADMIN, None),))
    return UnitOfWork(platform, org_id=p.org_id, actor=p.actor, scope=p.scope, may=p.can)


async def _item(owner_engine, org) -> object:
    """A reported noise item of P1 (its report is the GraphQL tests' business)."""
    async with owner_engine.begin() as conn:
        return (await conn.execute(text(
            "INSERT INTO decision_feedback_items (org_id, project_id, category_id, period, title, summary, case_count, reported_at, "
            "reported_by) SELECT :o, :p, id, DATE '2026-11-01', '夜间施工噪音', '反复投诉', 3, now(), 'user:x' "
            "FROM case_categories WHERE org_id = :o AND code = 'noise' RETURNING id"),
            {"o": org.org_id, "p": org.projects["P1"]})).scalar_one()


async def _records(owner_engine, item_id) -> tuple[str, list[tuple]]:
    async with owner_engine.connect() as conn:
        status = (await conn.execute(text("SELECT status FROM decision_feedback_items WHERE id = :i"), {"i": item_id})).scalar_one()
        audit = [tuple(r) for r in await conn.execute(text(
            "SELECT a.action, a.from_state, a.to_state, o.topic FROM audit_log a LEFT JOIN outbox o "
            "ON o.org_id = a.org_id AND o.id = a.event_id WHERE a.entity_id = :i ORDER BY a.at"), {"i": item_id})]
    return status, audit


def _advance(item_id, status: Status) -> AdvanceDecisionFeedback:
    return AdvanceDecisionFeedback(item_id, status, "街道办已回函确认", ("file:1",))


async def test_a_step_is_audited_at_commit_and_a_refusal_writes_nothing(platform, owner_engine, org, other_org):
    item = await _item(owner_engine, org)
    with pytest.raises(DomainError) as e:  # one step at a time
        await service.advance_decision_feedback(_advance(item, Status.CORRECTED), uow_of(platform, org))
    assert e.value.code is ErrorCode.INVALID_STATE
    assert await _records(owner_engine, item) == ("reported", [])

    assert await service.advance_decision_feedback(_advance(item, Status.ACKNOWLEDGED), uow_of(platform, org)) == item
    acknowledged = ("acknowledged", [("decision_feedback.advanced", "reported", "acknowledged", "decision_feedback.advanced")])
    assert await _records(owner_engine, item) == acknowledged

    # No out-of-remit cases this month: nothing to report, nothing written.
    report = ReportDecisionFeedback(org.projects["P1"], date(2026, 11, 1), "noise", None, "噪音", "反复投诉")
    with pytest.raises(DomainError) as e:
        await service.report_decision_feedback(report, uow_of(platform, org))
    assert (e.value.code, e.value.field) == (ErrorCode.CONFLICT, "categoryCode")  # already reported for the month
    other_month = ReportDecisionFeedback(org.projects["P1"], date(2026, 10, 1), "noise", None, "噪音", "反复投诉")
    with pytest.raises(DomainError) as e:
        await service.report_decision_feedback(other_month, uow_of(platform, org))
    assert (e.value.code, e.value.field) == (ErrorCode.VALIDATION, "categoryCode")
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM decision_feedback_items WHERE org_id = :o"),
                                   {"o": org.org_id})).scalar_one() == 1

    # Another company: its project and its item are not found, and its item stays as it was.
    theirs = await _item(owner_engine, other_org)
    with pytest.raises(DomainError) as e:
        await service.advance_decision_feedback(_advance(theirs, Status.ACKNOWLEDGED), uow_of(platform, org))
    assert e.value.code is ErrorCode.NOT_FOUND
    there = ReportDecisionFeedback(other_org.projects["P1"], date(2026, 10, 1), "noise", None, "噪音", "反复投诉")
    with pytest.raises(DomainError) as e:
        await service.report_decision_feedback(there, uow_of(platform, org))
    assert (e.value.code, e.value.field) == (ErrorCode.NOT_FOUND, "projectId")
    assert await _records(owner_engine, theirs) == ("reported", [])
