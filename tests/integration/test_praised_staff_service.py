"""受表扬员工 changed after intake through the service (domain/cases/praise.py), without GraphQL: a
change commits the list with one audit row and one `case.praised_staff_set` event; the same people
again (in another order, or by the same key) write nothing more; a refusal writes nothing; another
company's case is NOT_FOUND and another project's too, for a caller of one project."""

from __future__ import annotations

from sqlalchemy import text

from domain.cases import praise, service
from domain.cases.states import CaseKind
from domain.errors import ErrorCode, ErrorReason
from tenants.roles import Role
from tests.conftest import add_user
from tests.integration.test_case_service import person, receive, refused, uow_of


async def _written(owner_engine, case_id) -> dict:
    """The case's praised people, its praise audit rows with their events, the keys of the operation."""
    async with owner_engine.connect() as conn:
        praised = (await conn.execute(text("SELECT praised_user_ids FROM cases WHERE id = :c"), {"c": case_id})).scalar_one()
        audit = (await conn.execute(text("SELECT a.data, o.topic, o.payload FROM audit_log a JOIN outbox o ON o.org_id = a.org_id "
                                         "AND o.id = a.event_id WHERE a.entity_id = :c AND a.action = 'case.praised_staff_set' "
                                         "ORDER BY a.at"), {"c": case_id})).all()
        keys = (await conn.execute(text("SELECT count(*) FROM idempotency_keys k JOIN cases c ON c.org_id = k.org_id "
                                        "WHERE c.id = :c AND k.operation = 'setPraisedStaff'"), {"c": case_id})).scalar_one()
    return {"praised": list(praised), "audit": [tuple(a) for a in audit], "keys": keys}


async def test_a_change_is_written_once_with_its_audit_row_and_event(platform, owner_engine, org, other_org):
    a, b, c = [await add_user(owner_engine, org, n, "technician", "P1") for n in ("tech_a", "tech_b", "tech_c")]
    agent, sup = person(org, Role.CS_AGENT), person(org, Role.CS_SUPERVISOR)
    case_id = await service.register_case(receive(org, agent, kind=CaseKind.PRAISE, praised_user_ids=(a,)),
                                          uow_of(platform, agent))
    assert (await _written(owner_engine, case_id))["praised"] == [a]

    cmd = praise.SetPraisedStaff(case_id, (b, c, b), idempotency_key="praise-1")
    assert await praise.set_praised_staff(cmd, uow_of(platform, sup)) == case_id
    after = await _written(owner_engine, case_id)
    assert after["praised"] == [b, c]  # repeats dropped, in the order named
    [(data, topic, payload)] = after["audit"]
    assert data == {"user_ids": [str(b), str(c)], "before": [str(a)]} and topic == "case.praised_staff_set"
    assert payload["case_id"] == str(case_id) and payload["actor"] == sup.actor and after["keys"] == 1

    # The same key again, and the same people in another order without a key: nothing more.
    assert await praise.set_praised_staff(cmd, uow_of(platform, sup)) == case_id
    assert await praise.set_praised_staff(praise.SetPraisedStaff(case_id, (c, b)), uow_of(platform, sup)) == case_id
    assert await _written(owner_engine, case_id) == after

    # Refusals write nothing: a technician (no case:follow_up), a person of another project or company,
    # another project's supervisor, another company's admin, a case that is not a praise.
    pm2 = await add_user(owner_engine, org, "pm_p2", "project_manager", "P2")
    outsider = await add_user(owner_engine, other_org, "outsider", "technician", "P1")
    tech = person(org, Role.TECHNICIAN)
    e = await refused(praise.set_praised_staff(praise.SetPraisedStaff(case_id, (a,)), uow_of(platform, tech)))
    assert e.code is ErrorCode.FORBIDDEN
    for who in (pm2, outsider):
        e = await refused(praise.set_praised_staff(praise.SetPraisedStaff(case_id, (a, who)), uow_of(platform, sup)))
        assert (e.code, e.field) == (ErrorCode.VALIDATION, "userIds")
    for caller in (person(org, Role.CS_SUPERVISOR, "P2"), person(other_org, Role.ORG_ADMIN, None)):
        e = await refused(praise.set_praised_staff(praise.SetPraisedStaff(case_id, (a,)), uow_of(platform, caller)))
        assert (e.code, e.field) == (ErrorCode.NOT_FOUND, "caseId")
    repair = await service.register_case(receive(org, agent), uow_of(platform, agent))
    e = await refused(praise.set_praised_staff(praise.SetPraisedStaff(repair, (a,)), uow_of(platform, sup)))
    assert (e.code, e.reason) == (ErrorCode.INVALID_STATE, ErrorReason.NOT_A_PRAISE)
    assert await _written(owner_engine, case_id) == after

    # Naming no one is a change too.
    await praise.set_praised_staff(praise.SetPraisedStaff(case_id, ()), uow_of(platform, sup))
    assert (await _written(owner_engine, case_id))["praised"] == []
