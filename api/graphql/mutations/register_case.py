from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import CasePayload, IdempotencyKey, case_payload
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.case import CaseKindType, ChannelType, SeverityType
from api.graphql.types.node import from_global_id
from domain.cases import service
from domain.cases.commands import ReceiveCase, RegisterCase
from domain.cases.states import CaseKind, Channel, Severity
from tenants.roles import Permission


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
    praised_user_ids: list[strawberry.ID] | None = strawberry.field(default=None, description=(
        "受表扬员工 For a praise (kind PRAISE) only: the staff it names, at most 20, each an active user with a role in "
        "the project; counted in their people's figures (peopleFigures.praise). On another kind: VALIDATION."))


def _command(input: RegisterCaseInput, project_id) -> RegisterCase:
    return RegisterCase(
        project_id=project_id, kind=CaseKind(input.kind.value), severity=Severity(input.severity.value),
        channel=Channel(input.channel.value), category_code=input.category, description=input.description,
        unit_id=from_global_id(input.unit_id, "Unit", "unitId") if input.unit_id else None, public_area=input.public_area,
        reporter_resident_id=(from_global_id(input.reporter_resident_id, "Resident", "reporterResidentId")
                              if input.reporter_resident_id else None),
        photos=tuple(input.photos or ()), received_at=input.received_at,
        praised_user_ids=tuple(from_global_id(u, "User", "praisedUserIds") for u in input.praised_user_ids or ()))


def receive(input: RegisterCaseInput, receiver_id: UUID, idempotency_key: str | None) -> ReceiveCase:
    """The command, with the input's ids as sent: a retried key is matched against them."""
    return ReceiveCase(case=_command(input, from_global_id(input.project_id, "Project", "projectId")), receiver_id=receiver_id,
                       project_ref=input.project_id, unit_ref=input.unit_id, resident_ref=input.reporter_resident_id,
                       photos_sent=input.photos is not None, praised_refs=tuple(input.praised_user_ids or ()),
                       idempotency_key=idempotency_key)


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_CREATE)],
                     description="登记工单 Register a case from any channel; whoever registers it is its first receiver (首问).")
@user_errors(CasePayload)
async def register_case(
    info: Info, input: RegisterCaseInput,
    idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    cmd = receive(input, info.context.require().id, idempotency_key)
    return await case_payload(info, await service.register_case(cmd, unit_of_work(info)))
