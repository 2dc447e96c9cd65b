"""工单类别 through the service, without GraphQL: a category is added, relabelled and archived with
its audit rows and events at commit; a refusal writes nothing; another company's categories are
out of reach."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from domain.cases import taxonomy_service as service
from domain.cases.states import CaseKind
from domain.cases.taxonomy import Labels
from domain.cases.taxonomy_commands import AddCaseCategory, SetCaseCategoryArchived, UpdateCaseCategory
from domain.errors import DomainError, ErrorCode
from domain.unit_of_work import UnitOfWork
from tenants.principal import Grant, Principal
from tenants.roles import Role


def uow_of(platform, org) -> UnitOfWork:
    p = Principal(kind="user", id=org.admin_id, org_id=org.org_id, grants=(Grant(Role.ORG_ADMIN, None),))
    return UnitOfWork(platform, org_id=p.org_id, actor=p.actor, scope=p.scope, may=p.can)


async def _records(owner_engine, org_id, topic) -> tuple[list, list]:
    async with owner_engine.connect() as conn:
        audits = (await conn.execute(text("SELECT data FROM audit_log WHERE org_id = :o AND action = :t"),
                                     {"o": org_id, "t": topic})).scalars().all()
        events = (await conn.execute(text("SELECT payload FROM outbox WHERE org_id = :o AND topic = :t"),
                                     {"o": org_id, "t": topic})).scalars().all()
    return list(audits), list(events)


async def _category(owner_engine, org_id, code):
    async with owner_engine.connect() as conn:
        return (await conn.execute(text("SELECT name, kinds, active FROM case_categories WHERE org_id = :o AND code = :c"),
                                   {"o": org_id, "c": code})).first()


async def test_a_category_changes_with_its_records_and_refusals_write_nothing(platform, owner_engine, org, other_org):
    labels = Labels(" 充电桩 ", "EV chargers", [CaseKind.REPAIR, CaseKind.COMPLAINT])
    assert await service.add_case_category(AddCaseCategory("ev_charging", labels), uow_of(platform, org)) == "ev_charging"
    audits, events = await _records(owner_engine, org.org_id, "case_category.added")
    assert audits == [{"code": "ev_charging", "name": "充电桩", "name_en": "EV chargers", "kinds": ["repair", "complaint"],
                       "archived": False}]
    assert len(events) == 1 and events[0]["code"] == "ev_charging" and events[0]["actor"]

    with pytest.raises(DomainError) as e:  # the same code again
        await service.add_case_category(AddCaseCategory("ev_charging", labels), uow_of(platform, org))
    assert (e.value.code, e.value.field) == (ErrorCode.CONFLICT, "code")
    with pytest.raises(DomainError) as e:  # a rule refuses the labels: the category keeps its name
        await service.update_case_category(UpdateCaseCategory("ev_charging", Labels(" ", "x")), uow_of(platform, org))
    assert (e.value.code, e.value.field) == (ErrorCode.VALIDATION, "name")
    assert (await _category(owner_engine, org.org_id, "ev_charging")).name == "充电桩"
    assert len((await _records(owner_engine, org.org_id, "case_category.added"))[0]) == 1
    assert (await _records(owner_engine, org.org_id, "case_category.changed")) == ([], [])

    await service.update_case_category(UpdateCaseCategory("ev_charging", Labels("新能源充电", "EV charging")), uow_of(platform, org))
    await service.set_case_category_archived(SetCaseCategoryArchived("ev_charging", True), uow_of(platform, org))
    assert tuple(await _category(owner_engine, org.org_id, "ev_charging")) == ("新能源充电", None, False)
    assert [a["name"] for a in (await _records(owner_engine, org.org_id, "case_category.changed"))[0]] == ["新能源充电"]
    assert [a["archived"] for a in (await _records(owner_engine, org.org_id, "case_category.archived"))[1]] == [True]

    # Another company's category: not found, and untouched.
    await service.add_case_category(AddCaseCategory("their_own", Labels("他们的", "Theirs")), uow_of(platform, other_org))
    with pytest.raises(DomainError) as e:
        await service.set_case_category_archived(SetCaseCategoryArchived("their_own", True), uow_of(platform, org))
    assert (e.value.code, e.value.field) == (ErrorCode.NOT_FOUND, "code")
    assert (await _category(owner_engine, other_org.org_id, "their_own")).active is True
