from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import strawberry
from sqlalchemy import text

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey, CasePayload, case_payload, once
from api.graphql.mutations._unit import require_on, write
from api.graphql.permissions import Requires
from api.graphql.types.case import CaseKindType, ChannelType, SeverityType
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from domain.cases.model import Actor, Case as CaseModel
from domain.cases.repository import CaseRepository, Intake, business_day
from domain.cases.states import CaseKind
from domain.cases.taxonomy import category_for_new_case
from domain.errors import DomainError, invalid, not_found
from tenants.roles import Permission

MAX_DESCRIPTION = 5000


@strawberry.input
class RegisterCaseInput:
    project_id: strawberry.ID
    kind: CaseKindType
    channel: ChannelType
    category: str = strawberry.field(description="Category code of the company's taxonomy, e.g. water_power: one of "
                                                 "caseCategories(kind) — an archived one is refused with CATEGORY_ARCHIVED.")
    description: str
    severity: SeverityType = SeverityType.GENERAL
    unit_id: strawberry.ID | None = strawberry.field(default=None, description="The flat; or give publicArea.")
    public_area: str | None = None
    reporter_resident_id: strawberry.ID | None = None
    photos: list[str] | None = strawberry.field(default=None, description="Photo references (upload URLs), at most 20.")
    received_at: datetime | None = strawberry.field(default=None, description=(
        "受理时间 When the request was actually taken, for one relayed or written down before it is entered: at most "
        "24 hours ago and not in the future (2 minutes of clock skew are allowed, counted as now); else OUT_OF_WINDOW. "
        "The SLA clocks start here; the case records its entry time as registeredAt. Default: now."))


async def _intake(conn, input: RegisterCaseInput, project_id) -> tuple[Intake, str]:
    description = input.description.strip()
    if not description:
        raise invalid("description must not be empty.", "description")
    if len(description) > MAX_DESCRIPTION:
        raise invalid(f"description may have at most {MAX_DESCRIPTION} characters.", "description")
    photos = tuple(input.photos or ())
    if len(photos) > 20 or any(len(p) > 1000 for p in photos):
        raise invalid("At most 20 photo references of at most 1,000 characters each.", "photos")
    public_area = (input.public_area or "").strip() or None
    if public_area and len(public_area) > 200:
        raise invalid("publicArea may have at most 200 characters.", "publicArea")
    project = (await conn.execute(text("SELECT code FROM projects WHERE id = :p"), {"p": project_id})).first()
    if project is None:
        raise not_found("The project", "projectId")
    category = await category_for_new_case(conn, input.category, CaseKind(input.kind.value))
    building = None
    if input.unit_id:
        unit = (await conn.execute(text("SELECT building_id FROM units WHERE id = :u AND project_id = :p"),
                                   {"u": from_global_id(input.unit_id, "Unit", "unitId"), "p": project_id})).first()
        if unit is None:
            raise not_found("The unit in this project", "unitId")
        building = unit.building_id
    resident = None
    if input.reporter_resident_id:
        resident = from_global_id(input.reporter_resident_id, "Resident", "reporterResidentId")
        if not (await conn.execute(text("SELECT 1 FROM residents WHERE id = :r AND project_id = :p"),
                                   {"r": resident, "p": project_id})).first():
            raise not_found("The resident in this project", "reporterResidentId")
    intake = Intake(category_id=category, description=description, building_id=building,
                    unit_id=from_global_id(input.unit_id, "Unit", "unitId") if input.unit_id else None,
                    public_area=public_area, reporter_resident_id=resident, photos=photos)
    return intake, project.code


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_CREATE)],
                     description="登记工单 Register a case from any channel; whoever registers it is its first receiver (首问).")
async def register_case(
    info: Info, input: RegisterCaseInput,
    idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    try:
        project_id = from_global_id(input.project_id, "Project", "projectId")
        require_on(info, Permission.CASE_CREATE, project_id)
        p = info.context.principal

        async def register(conn):
            intake, code = await _intake(conn, input, project_id)
            now = datetime.now(UTC)
            case = CaseModel.register(org_id=p.org_id, project_id=project_id, kind=input.kind, severity=input.severity,
                                      channel=input.channel, receiver=Actor(p.id), now=now, received_at=input.received_at)
            repo = CaseRepository(conn)
            number = await repo.next_number(project_id, p.org_id, code, business_day(case.received_at))
            await repo.add(case, replace(intake, registered_at=now), number)
            return case.id

        payload = {k: (v.value if hasattr(v, "value") else v) for k, v in vars(input).items()}
        case_id = await write(info, lambda conn: once(info, conn, idempotency_key, "registerCase", payload, register))
    except DomainError as e:
        return CasePayload(errors=[UserError.of(e)])
    return await case_payload(info, case_id)
