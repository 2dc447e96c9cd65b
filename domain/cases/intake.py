"""登记工单 The one path that registers a case, whoever calls it: a person through registerCase, a
12345 bridge's order, an inspection's findings, the demo's trickle. It checks the intake limits
and what the case points at (project, category, flat, resident) and stores the case through the
repository — its row, its audit row, its outbox event and its SLA targets and timers — in the
caller's unit of work, under the caller's tenant wall. The project's number of the day is taken
as that unit of work commits, by the database, so a project's registrations queue on the counter
only for the commit itself (domain/cases/repository.py); the number is readable once the caller
has committed, or in the caller's last step (CaseRepository.take_number).

The caller keeps what is its own: the permission and the idempotency key (registerCase, in
domain/cases/service.py), the order row and the commitment to the government's deadline
(12345), the finding rows (inspections). The demo history is not a registration: it writes months of finished cases at
once by COPY, with their replayed SLA records and no outbox events (tenants/demo_history.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import text

from domain.archive.model import erased_refusal
from domain.cases.commands import RegisterCase
from domain.cases.model import Actor, Case, checked_intake
from domain.cases.praise import checked_praised, set_praised
from domain.cases.repository import CaseRepository, Intake
from domain.cases.taxonomy import checked_category, stored_code
from domain.errors import not_found
from domain.roster.reception import RECEPTION_CHANNELS, record_reception
from domain.sla.repository import CONTEXT_COLUMNS, CONTEXT_FROM
from domain.unit_of_work import UnitOfWork
from tenants import direct

# Row-level security keeps each read to the caller's company (and projects); org_id named all the
# same, so a sharded database sends each to the company's one shard.
# The project, the category sent by code (`id` null: none such) and the SLA context the new case's
# clocks start from, in one statement: a round trip each cost more than the reads themselves.
_PROJECT = text(
    f"SELECT {CONTEXT_COLUMNS}, c.id, c.code, c.name, c.kinds, NOT c.active AS archived FROM {CONTEXT_FROM} "
    "LEFT JOIN case_categories c ON c.org_id = pr.org_id AND c.code = :code WHERE pr.org_id = :o AND pr.id = :p"
)
_UNIT = text("SELECT building_id FROM units WHERE org_id = :o AND id = :u AND project_id = :p")
_RESIDENT = text("SELECT erased_at FROM residents WHERE org_id = :o AND id = :r AND project_id = :p")


@dataclass(frozen=True)
class Registered:
    case: Case  # as stored, its registration written; a caller may go on with it (12345 commits at once)


async def register_case(uow: UnitOfWork, command: RegisterCase, *, org_id: UUID, receiver: Actor,
                        now: datetime) -> Registered:
    """首问责任制: `receiver` — the person, bridge receiver, inspector or demo user registering
    it — is the case's first receiver and the actor of its first audit row. Its audit row and
    event are written by the caller's unit of work at commit."""
    return await register(CaseRepository(uow), command, org_id=org_id, receiver=receiver, now=now)


async def register(repo: CaseRepository, command: RegisterCase, *, org_id: UUID, receiver: Actor,
                   now: datetime) -> Registered:
    """The same, through a repository (domain/cases/service.py)."""
    conn = repo.conn
    description, public_area, photos = checked_intake(command.description, command.public_area, command.photos)
    praised = checked_praised(command.kind, command.praised_user_ids)
    code = stored_code(command.category_code) if command.category_id is None and command.category_code is not None else None
    project = await direct.first(conn, _PROJECT, {"o": org_id, "p": command.project_id, "code": code,
                                                  "kind": command.kind.value, "sev": command.severity.value})
    if project is None:
        raise not_found("The project", "projectId", zh="项目")
    category = command.category_id
    if category is None:
        assert command.category_code is not None
        category = checked_category(project, command.category_code, command.kind)
    building = None
    if command.unit_id is not None:
        unit = (await conn.execute(_UNIT, {"o": org_id, "u": command.unit_id, "p": command.project_id})).first()
        if unit is None:
            raise not_found("The unit in this project", "unitId", zh="本项目中的房屋")
        building = unit.building_id
    if command.reporter_resident_id is not None:
        resident = (await conn.execute(_RESIDENT, {"o": org_id, "r": command.reporter_resident_id, "p": command.project_id})).first()
        if resident is None:
            raise not_found("The resident in this project", "reporterResidentId", zh="本项目中的住户")
        if resident.erased_at is not None:  # an anonymous id now: a new case would tie it to a person again
            raise erased_refusal("reporterResidentId")
    case = Case.register(org_id=org_id, project_id=command.project_id, kind=command.kind, severity=command.severity,
                         channel=command.channel, receiver=receiver, now=now, received_at=command.received_at)
    await repo.add(case, Intake(category_id=category, description=description, building_id=building,
                                         unit_id=command.unit_id, public_area=public_area,
                                         reporter_resident_id=command.reporter_resident_id, photos=photos,
                                         registered_at=now), sla_context=project)
    await set_praised(conn, org_id, case.id, case.project_id, praised)
    if case.channel.value in RECEPTION_CHANNELS:
        await record_reception(conn, org_id=org_id, case_id=case.id, project_id=case.project_id, received_at=case.received_at,
                               registrant=receiver.id)
    return Registered(case)
