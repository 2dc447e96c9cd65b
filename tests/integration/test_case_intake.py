"""The one intake path (domain/cases/intake.py) without GraphQL: what it writes for a new case —
the row, the project's number of the day, the audit row, the outbox event, the SLA targets and
timers — and what it refuses, with the codes registerCase gives."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from domain.cases.commands import RegisterCase
from domain.cases.intake import register_case
from domain.cases.model import Actor
from domain.cases.states import CaseKind, Channel, Severity
from domain.errors import DomainError, ErrorCode
from domain.unit_of_work import UnitOfWork
from tenants.context import TenantScope
from tests.conftest import add_unit, make_org

NOW = datetime(2026, 11, 22, 17, 30, tzinfo=UTC)  # 01:30 on the 23rd in Beijing: numbered on the 23rd


def command(org, **changes) -> RegisterCase:
    base = RegisterCase(project_id=org.projects["P1"], kind=CaseKind.REPAIR, severity=Severity.GENERAL, channel=Channel.PHONE,
                        category_code="water_power", description="  厨房水管漏水  ")
    return replace(base, **changes)


async def register(platform, org, cmd: RegisterCase, now: datetime = NOW):
    async with UnitOfWork(platform, org_id=org.org_id, actor="test", scope=TenantScope(org.org_id, None, "test")) as uow:
        registered = await register_case(uow, cmd, org_id=org.org_id, receiver=Actor(org.admin_id), now=now)
        await uow.commit()
        return registered


async def refusal(platform, org, cmd: RegisterCase) -> tuple[ErrorCode, str | None]:
    with pytest.raises(DomainError) as e:
        await register(platform, org, cmd)
    return e.value.code, e.value.field


async def test_a_case_is_written_with_its_number_audit_event_and_clocks(platform, org, owner_engine):
    unit, building = await add_unit(owner_engine, org, "P1")
    taken = NOW - timedelta(minutes=20)
    first = await register(platform, org, command(org, unit_id=unit, photos=("https://x/1.jpg",), received_at=taken))
    second = await register(platform, org, command(org, public_area=" 中心花园 "))
    other = await register(platform, org, command(org, project_id=org.projects["P2"]))
    async with owner_engine.connect() as conn:
        numbers = [(await conn.execute(text("SELECT number FROM cases WHERE id = :c"), {"c": r.case.id})).scalar()
                   for r in (first, second, other)]
        assert numbers == ["GD-P1-20261123-0001", "GD-P1-20261123-0002", "GD-P2-20261123-0001"]
        row = (await conn.execute(text(
            "SELECT c.number, c.state, c.description, c.building_id, c.unit_id, c.public_area, c.photos, c.first_receiver_id, "
            "c.received_at, c.registered_at, k.code FROM cases c JOIN case_categories k ON k.id = c.category_id WHERE c.id = :c"),
            {"c": first.case.id})).one()
        assert tuple(row) == ("GD-P1-20261123-0001", "received", "厨房水管漏水", building, unit, None, ["https://x/1.jpg"],
                              org.admin_id, taken, NOW, "water_power")
        assert (await conn.execute(text("SELECT public_area FROM cases WHERE id = :c"), {"c": second.case.id})).scalar() == "中心花园"
        audit = (await conn.execute(text("SELECT actor, action, to_state FROM audit_log WHERE entity_id = :c"),
                                    {"c": first.case.id})).all()
        assert [tuple(a) for a in audit] == [(f"user:{org.admin_id}", "case.received", "received")]
        event = (await conn.execute(text("SELECT topic, payload FROM outbox WHERE payload->>'case_id' = :c"),
                                    {"c": str(first.case.id)})).one()
        assert event.topic == "case.received"
        assert (event.payload["number"], event.payload["channel"], event.payload["to"]) == ("GD-P1-20261123-0001", "phone", "received")
        targets = {r.target: r.started_at for r in await conn.execute(
            text("SELECT target, started_at FROM case_targets WHERE case_id = :c"), {"c": first.case.id})}
        assert targets == {"commit": taken, "arrive": taken, "resolve": taken}
        timers = (await conn.execute(text("SELECT count(*) FROM sla_timers WHERE case_id = :c"), {"c": first.case.id})).scalar()
        assert timers > 0


async def test_the_intake_limits_are_refused_with_the_codes_of_registercase(platform, org, owner_engine):
    assert await refusal(platform, org, command(org, description="   ")) == (ErrorCode.VALIDATION, "description")
    assert await refusal(platform, org, command(org, description="字" * 5001)) == (ErrorCode.VALIDATION, "description")
    assert await refusal(platform, org, command(org, photos=("a.jpg",) * 21)) == (ErrorCode.VALIDATION, "photos")
    assert await refusal(platform, org, command(org, photos=("p" * 1001,))) == (ErrorCode.VALIDATION, "photos")
    assert await refusal(platform, org, command(org, public_area="地" * 201)) == (ErrorCode.VALIDATION, "publicArea")
    assert await refusal(platform, org, command(org, received_at=NOW - timedelta(hours=25))) == (ErrorCode.OUT_OF_WINDOW, "receivedAt")
    assert await refusal(platform, org, command(org, category_code="no_such")) == (ErrorCode.NOT_FOUND, "category")
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE case_categories SET active = false WHERE org_id = :o AND code = 'water_power'"),
                           {"o": org.org_id})
    assert await refusal(platform, org, command(org)) == (ErrorCode.CATEGORY_ARCHIVED, "category")
    async with owner_engine.connect() as conn:
        taken = (await conn.execute(text("SELECT count(*) FROM case_numbers WHERE org_id = :o"), {"o": org.org_id})).scalar()
        cases = (await conn.execute(text("SELECT count(*) FROM cases WHERE org_id = :o"), {"o": org.org_id})).scalar()
    assert (taken, cases) == (0, 0)  # a refused case takes no number


async def test_what_a_case_points_at_must_be_in_its_project_and_company(platform, org, owner_engine):
    other = await make_org(owner_engine)
    unit_elsewhere, _ = await add_unit(owner_engine, org, "P2")
    foreign_unit, _ = await add_unit(owner_engine, other, "P1")
    assert await refusal(platform, org, command(org, project_id=other.projects["P1"])) == (ErrorCode.NOT_FOUND, "projectId")
    assert await refusal(platform, org, command(org, project_id=uuid.uuid4())) == (ErrorCode.NOT_FOUND, "projectId")
    assert await refusal(platform, org, command(org, unit_id=unit_elsewhere)) == (ErrorCode.NOT_FOUND, "unitId")
    assert await refusal(platform, org, command(org, unit_id=foreign_unit)) == (ErrorCode.NOT_FOUND, "unitId")
    assert await refusal(platform, org, command(org, reporter_resident_id=uuid.uuid4())) == (ErrorCode.NOT_FOUND, "reporterResidentId")
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM cases WHERE org_id = :o"), {"o": other.org_id})).scalar() == 0


async def test_a_category_chosen_by_the_caller_is_taken_as_given(platform, org, owner_engine):
    """A 12345 order or an inspection finding names the category under its own rule; kind and
    archive checks are the client's choice only."""
    async with owner_engine.connect() as conn:
        other = (await conn.execute(text("SELECT id FROM case_categories WHERE org_id = :o AND code = 'other'"),
                                    {"o": org.org_id})).scalar_one()
    done = await register(platform, org, command(org, category_code=None, category_id=other, channel=Channel.GOV_12345))
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT category_id, channel FROM cases WHERE id = :c"), {"c": done.case.id})).one() == (
            other, "gov_12345")


async def test_a_category_code_is_the_callers_company_s_own(platform, org, owner_engine):
    """The category is read with the project, by code: another company's code is no category here,
    and where both have the code, the case takes its own company's."""
    other = await make_org(owner_engine)
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO case_categories (org_id, code, name, name_en, sort) "
                                "VALUES (:o, 'elsewhere_only', '别家', 'Elsewhere', 99)"), {"o": other.org_id})
        theirs = (await conn.execute(text("SELECT id FROM case_categories WHERE org_id = :o AND code = 'water_power'"),
                                     {"o": other.org_id})).scalar_one()
    assert await refusal(platform, org, command(org, category_code="elsewhere_only")) == (ErrorCode.NOT_FOUND, "category")
    done = await register(platform, org, command(org))
    async with owner_engine.connect() as conn:
        category = (await conn.execute(text("SELECT category_id FROM cases WHERE id = :c"), {"c": done.case.id})).scalar_one()
        ours = (await conn.execute(text("SELECT id FROM case_categories WHERE org_id = :o AND code = 'water_power'"),
                                   {"o": org.org_id})).scalar_one()
    assert category == ours != theirs
