"""The case use cases without GraphQL (domain/cases/service.py): a command and a unit of work
against the real database. A change commits with its audit row and its outbox event — the
transition's own event before the escalation it causes — once; the same key again writes
nothing; a refusal (a missing permission, a case of another company) writes nothing, not even
the key."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from domain.cases import service
from domain.cases.commands import (
    AcceptCase, CommitCase, DispatchCase, LinkRepeatCase, ReceiveCase, RegisterCase, ReportUndispatchable,
)
from domain.cases.states import CaseKind, Channel, Severity
from domain.errors import DomainError, ErrorCode
from domain.unit_of_work import UnitOfWork
from tenants.principal import Grant, Principal
from tenants.roles import Role


def uow_of(platform, principal: Principal) -> UnitOfWork:
    return UnitOfWork(platform, org_id=principal.org_id, actor=principal.actor, scope=principal.scope, may=principal.can)


def person(org, role: Role, project: str | None = "P1") -> Principal:
    return Principal(kind="user", id=uuid.uuid4(), org_id=org.org_id,
                     grants=(Grant(role, org.projects[project] if project else None),))


def receive(org, by: Principal, key: str | None = None, **changes) -> ReceiveCase:
    case = RegisterCase(project_id=org.projects["P1"], kind=CaseKind.REPAIR, severity=Severity.GENERAL, channel=Channel.PHONE,
                        category_code="water_power", description="厨房水管漏水")
    return ReceiveCase(case=replace(case, **changes), receiver_id=by.id, project_ref=f"Project:{case.project_id}",
                       idempotency_key=key)


def changing(case_id: uuid.UUID, by: Principal, key: str | None = None) -> dict:
    return {"case_id": case_id, "case_ref": f"Case:{case_id}", "actor_id": by.id, "idempotency_key": key}


async def written(owner_engine, org) -> dict:
    """What the database holds for the company: its cases, audit rows, events (in the order they
    were written) and idempotency keys."""
    async with owner_engine.connect() as conn:
        o = {"o": org.org_id}
        cases = (await conn.execute(text("SELECT id, state FROM cases WHERE org_id = :o ORDER BY number"), o)).all()
        audit = (await conn.execute(text("SELECT action, actor, from_state, to_state FROM audit_log WHERE org_id = :o "
                                         "AND entity = 'case' ORDER BY id"), o)).all()
        events = (await conn.execute(text("SELECT topic FROM outbox WHERE org_id = :o AND topic LIKE 'case.%' "
                                          "ORDER BY created_at"), o)).scalars().all()
        keys = (await conn.execute(text("SELECT key FROM idempotency_keys WHERE org_id = :o ORDER BY key"), o)).scalars().all()
    return {"cases": [tuple(c) for c in cases], "audit": [tuple(a) for a in audit], "events": list(events), "keys": list(keys)}


async def refused(use_case) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await use_case
    return caught.value


async def test_a_transition_writes_its_audit_row_and_its_event_once(platform, owner_engine, org):
    agent = person(org, Role.CS_AGENT)
    case_id = await service.register_case(receive(org, agent, "reg-1"), uow_of(platform, agent))
    await service.commit_case(CommitCase(**changing(case_id, agent, "commit-1")), uow_of(platform, agent))
    before = await written(owner_engine, org)
    assert before["audit"] == [("case.received", agent.actor, None, "received"),
                               ("case.committed", agent.actor, "received", "committed")]
    assert before["events"] == ["case.received", "case.committed"]

    cmd = ReportUndispatchable(**changing(case_id, agent, "nobody-1"), reason="电工都在抢修")
    assert await service.report_undispatchable(cmd, uow_of(platform, agent)) == case_id
    after = await written(owner_engine, org)
    assert after["audit"] == [*before["audit"], ("case.undispatchable", agent.actor, "committed", "committed")]
    # Cause, then effect: the transition's own event before the escalation it sets off.
    assert after["events"] == [*before["events"], "case.undispatchable", "case.escalated"]
    assert after["keys"] == ["commit-1", "nobody-1", "reg-1"]

    # The same keys again: the first answers, nothing more written.
    assert await service.report_undispatchable(cmd, uow_of(platform, agent)) == case_id
    assert await service.register_case(receive(org, agent, "reg-1"), uow_of(platform, agent)) == case_id
    assert await written(owner_engine, org) == after

    # The same key with other input: CONFLICT, and nothing written.
    e = await refused(service.register_case(receive(org, agent, "reg-1", description="另一件事"), uow_of(platform, agent)))
    assert e.code is ErrorCode.CONFLICT
    assert await written(owner_engine, org) == after


async def test_dispatch_to_nobody_on_duty_escalates_and_a_replay_writes_nothing(platform, owner_engine, org):
    agent = person(org, Role.DISPATCHER)
    case_id = await service.register_case(receive(org, agent), uow_of(platform, agent))
    await service.commit_case(CommitCase(**changing(case_id, agent)), uow_of(platform, agent))
    cmd = DispatchCase(**changing(case_id, agent, "duty-1"), on_duty=True)
    assert await service.dispatch_case(cmd, uow_of(platform, agent)) == service.Dispatched(case_id, None)
    after = await written(owner_engine, org)
    assert after["events"][-2:] == ["case.undispatchable", "case.escalated"]
    assert after["cases"] == [(case_id, "committed")]

    assert (await service.dispatch_case(cmd, uow_of(platform, agent))).case_id == case_id
    assert await written(owner_engine, org) == after


async def test_without_the_permission_a_caller_is_refused_and_nothing_is_written(platform, owner_engine, org):
    agent = person(org, Role.CS_AGENT)
    case_id = await service.register_case(receive(org, agent), uow_of(platform, agent))
    before = await written(owner_engine, org)

    staff = person(org, Role.STAFF)  # may register, not promise
    e = await refused(service.commit_case(CommitCase(**changing(case_id, staff, "c-1")), uow_of(platform, staff)))
    assert e.code is ErrorCode.FORBIDDEN
    technician = person(org, Role.TECHNICIAN)  # may work a case, not dispatch one
    e = await refused(service.dispatch_case(DispatchCase(**changing(case_id, technician, "d-1"), on_duty=True),
                                            uow_of(platform, technician)))
    assert e.code is ErrorCode.FORBIDDEN
    # A promise later than the policy's needs a supervisor: the unit of work says who is one.
    late = CommitCase(**changing(case_id, agent, "late-1"), due=datetime.now(UTC) + timedelta(days=400))
    e = await refused(service.commit_case(late, uow_of(platform, agent)))
    assert e.code is ErrorCode.FORBIDDEN
    # Registering in a project outside the caller's reach: NOT_FOUND, as if it did not exist.
    elsewhere = person(org, Role.CS_AGENT, "P2")
    e = await refused(service.register_case(receive(org, elsewhere, "r-1"), uow_of(platform, elsewhere)))
    assert (e.code, e.field) == (ErrorCode.NOT_FOUND, "projectId")
    assert await written(owner_engine, org) == before

    supervisor = person(org, Role.CS_SUPERVISOR)
    await service.commit_case(replace(late, actor_id=supervisor.id), uow_of(platform, supervisor))
    assert (await written(owner_engine, org))["cases"] == [(case_id, "committed")]


async def test_a_case_of_another_company_is_not_found_and_nothing_is_written(platform, owner_engine, org, other_org):
    agent = person(org, Role.CS_AGENT)
    case_id = await service.register_case(receive(org, agent), uow_of(platform, agent))
    outsider = person(other_org, Role.ORG_ADMIN, None)
    theirs = await service.register_case(receive(other_org, outsider), uow_of(platform, outsider))
    ours, others = await written(owner_engine, org), await written(owner_engine, other_org)

    e = await refused(service.accept_case(AcceptCase(**changing(case_id, outsider, "a-1")), uow_of(platform, outsider)))
    assert (e.code, e.field) == (ErrorCode.NOT_FOUND, "caseId")
    e = await refused(service.commit_case(CommitCase(**changing(case_id, outsider, "c-1")), uow_of(platform, outsider)))
    assert (e.code, e.field) == (ErrorCode.NOT_FOUND, "caseId")
    # Nor can our case be linked as a repeat of theirs.
    link = LinkRepeatCase(**changing(case_id, agent, "l-1"), earlier_case_id=theirs, earlier_case_ref=f"Case:{theirs}")
    e = await refused(service.link_repeat_case(link, uow_of(platform, agent)))
    assert (e.code, e.field) == (ErrorCode.NOT_FOUND, "earlierCaseId")
    assert (await written(owner_engine, org), await written(owner_engine, other_org)) == (ours, others)
