"""Checklists and inspections without GraphQL: a command and a unit of work against the real
database. A change commits with its audit row; a submitted inspection's finding becomes a case
through the one intake path; a refusal writes nothing, not even the idempotency key; another
company's caller finds nothing."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from sqlalchemy import text

from domain.errors import DomainError, ErrorCode
from domain.inspections import service
from domain.inspections.commands import CreateInspectionChecklist, ItemResult, RecordInspection, SetInspectionChecklistActive
from domain.inspections.model import Finding, ItemSpec
from domain.sla.calendar import CHINA
from domain.unit_of_work import UnitOfWork
from tenants.principal import Grant, Principal
from tenants.roles import Role
from tests.api.conftest import desk  # noqa: F401 — fixture: P1's categories, unit and people
from tests.conftest import add_user

ITEMS = (ItemSpec("大堂地面洁净", 10, department_kind="cleaning"), ItemSpec("消防通道畅通", 20, "无堆放、标识清楚"))


def uow_of(platform, principal: Principal) -> UnitOfWork:
    return UnitOfWork(platform, org_id=principal.org_id, actor=principal.actor, scope=principal.scope, may=principal.can)


def person(org, role: Role, project: str | None = None) -> Principal:
    return Principal(kind="user", id=uuid.uuid4(), org_id=org.org_id,
                     grants=(Grant(role, org.projects[project] if project else None),))


async def records(owner_engine, org) -> dict:
    async with owner_engine.connect() as conn:
        audit = (await conn.execute(text("SELECT action, actor, entity, data FROM audit_log WHERE org_id = :o "
                                         "AND entity IN ('inspection_checklist', 'inspection') ORDER BY id"), {"o": org.org_id})).all()
        keys = (await conn.execute(text("SELECT key, response FROM idempotency_keys WHERE org_id = :o ORDER BY key"),
                                   {"o": org.org_id})).all()
        checklists = (await conn.execute(text("SELECT name, active FROM inspection_checklists WHERE org_id = :o ORDER BY name"),
                                         {"o": org.org_id})).all()
        cases = (await conn.execute(text("SELECT channel, description FROM cases WHERE org_id = :o"), {"o": org.org_id})).all()
    return {"audit": [tuple(a) for a in audit], "keys": [tuple(k) for k in keys], "checklists": [tuple(c) for c in checklists],
            "cases": [tuple(c) for c in cases]}


async def refused(use_case) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await use_case
    return caught.value


async def test_a_checklist_is_made_and_switched_with_its_audit_rows(platform, owner_engine, org, other_org):
    qa = person(org, Role.HQ_QUALITY)
    cmd = CreateInspectionChecklist(" 月度品质检查 ", ITEMS, "c-1")
    checklist_id = await service.create_inspection_checklist(cmd, uow_of(platform, qa))
    after = await records(owner_engine, org)
    assert after["checklists"] == [("月度品质检查", True)]
    assert after["audit"] == [("inspection.checklist_created", qa.actor, "inspection_checklist", {"name": "月度品质检查", "items": 2})]
    assert after["keys"] == [("c-1", {"id": str(checklist_id)})]
    assert await service.create_inspection_checklist(cmd, uow_of(platform, qa)) == checklist_id
    assert await records(owner_engine, org) == after

    # Refused, writing nothing: the same name again, a person without the permission, another company.
    e = await refused(service.create_inspection_checklist(CreateInspectionChecklist("月度品质检查", ITEMS, "c-2"), uow_of(platform, qa)))
    assert (e.code, e.field) == (ErrorCode.CONFLICT, "name")
    e = await refused(service.set_inspection_checklist_active(SetInspectionChecklistActive(checklist_id, False, "off-1"),
                                                              uow_of(platform, person(org, Role.CS_AGENT, "P1"))))
    assert e.code is ErrorCode.FORBIDDEN
    stranger = person(other_org, Role.HQ_QUALITY)
    e = await refused(service.set_inspection_checklist_active(SetInspectionChecklistActive(checklist_id, False, "off-1"),
                                                              uow_of(platform, stranger)))
    assert (e.code, e.field) == (ErrorCode.NOT_FOUND, "checklistId")
    assert await records(owner_engine, org) == after
    assert (await records(owner_engine, other_org))["keys"] == []

    assert await service.set_inspection_checklist_active(SetInspectionChecklistActive(checklist_id, False), uow_of(platform, qa)) \
        == checklist_id
    done = await records(owner_engine, org)
    assert done["checklists"] == [("月度品质检查", False)]
    assert done["audit"][1:] == [("inspection.checklist_switched", qa.actor, "inspection_checklist", {"active": False})]


async def test_a_submitted_inspection_registers_its_finding_as_a_case(platform, owner_engine, org, other_org, desk):  # noqa: F811
    qa = Principal(kind="user", id=await add_user(owner_engine, org, "qa", "hq_quality", None), org_id=org.org_id,
                   grants=(Grant(Role.HQ_QUALITY, None),))
    checklist_id = await service.create_inspection_checklist(CreateInspectionChecklist("月度品质检查", ITEMS), uow_of(platform, qa))
    async with owner_engine.connect() as conn:
        items = (await conn.execute(text("SELECT id FROM inspection_checklist_items WHERE checklist_id = :c ORDER BY position"),
                                    {"c": checklist_id})).scalars().all()
    today = datetime.now(CHINA).date()

    def inspect(**over) -> RecordInspection:
        base = {"project_id": org.projects["P1"], "checklist_id": checklist_id, "inspector_id": qa.id, "inspected_on": today,
                "results": (ItemResult(items[0], 6, comment="扣分：地面有污渍"), ItemResult(items[1], None, True)),
                "findings": (Finding(items[0], "大堂地面有污渍", category="public_area", public_area="1号楼大堂"),),
                "idempotency_key": "i-1"}
        return RecordInspection(**{**base, **over})

    before = await records(owner_engine, org)
    # Refused, writing nothing: another company's inspector, an API key, an item both scored and not applicable.
    stranger = person(other_org, Role.HQ_QUALITY)
    e = await refused(service.record_inspection(inspect(inspector_id=stranger.id), uow_of(platform, stranger)))
    assert (e.code, e.field) == (ErrorCode.NOT_FOUND, "projectId")
    e = await refused(service.record_inspection(inspect(inspector_id=None), uow_of(platform, qa)))
    assert e.code is ErrorCode.FORBIDDEN
    e = await refused(service.record_inspection(inspect(results=(ItemResult(items[0], 6, True),)), uow_of(platform, qa)))
    assert (e.code, e.field) == (ErrorCode.VALIDATION, "results")
    assert await records(owner_engine, org) == before

    inspection_id = await service.record_inspection(inspect(), uow_of(platform, qa))
    after = await records(owner_engine, org)
    assert after["audit"][len(before["audit"]):] == [("inspection.submitted", qa.actor, "inspection", {"score": 60.0, "findings": 1})]
    assert [channel for channel, _ in after["cases"]] == ["patrol"]
    assert "大堂地面有污渍" in after["cases"][0][1]
    assert ("i-1", {"id": str(inspection_id)}) in after["keys"]
    assert await service.record_inspection(inspect(), uow_of(platform, qa)) == inspection_id
    assert await records(owner_engine, org) == after
