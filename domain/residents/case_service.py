"""The resident's case calls (docs/resident-services.md §2.4): registering a case for their flat or a
public area, confirming or rejecting the result, rating it (the return visit, made by the resident)
and withdrawing it. Each goes through the one path staff use — `domain/cases/intake.py` and
`domain/cases/service.py`'s `_change` — with `resident:self` as the permission, so the state rules
are the model's. Which cases are theirs is the resident role's row-level security: another flat's
case is simply not found. Each call counts against the resident's hourly limit of mutations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from domain.cases import intake
from domain.cases.commands import CancelCase, ConfirmCase, RegisterCase, RejectCase, ReturnVisit
from domain.cases.model import Actor, Case
from domain.cases.repository import CaseRepository
from domain.cases.service import _change
from domain.cases.states import CaseKind, Channel, Severity
from domain.errors import DomainError, ErrorCode, ErrorReason, invalid
from domain.residents import quota
from domain.residents import repository as residents
from domain.sla.calendar import CHINA
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission

# What a resident may register; a 报事 report is staff's own.
RESIDENT_KINDS = frozenset({CaseKind.REPAIR, CaseKind.COMPLAINT, CaseKind.INQUIRY, CaseKind.REQUEST, CaseKind.SUGGESTION,
                            CaseKind.PRAISE})


@dataclass(frozen=True)
class ResidentCase:
    """residentRegisterCase. `key_id`: the API key that signed the resident in — the case's first
    receiver, as when the integrator's backend registers a case itself."""

    resident_id: UUID
    project_id: UUID
    key_id: UUID
    channel: Channel
    kind: CaseKind
    category: str
    description: str
    unit_id: UUID | None = None
    unit_ref: str | None = None
    public_area: str | None = None
    photos: tuple[str, ...] = ()
    photos_sent: bool = False
    idempotency_key: str | None = None


async def _count_mutation(uow: UnitOfWork) -> None:
    assert uow.scope is not None and uow.scope.resident_id is not None
    await quota.count(uow.conn, quota.MUTATIONS, uow.org_id, resident_id=uow.scope.resident_id)


async def _within_case_limits(uow: UnitOfWork, resident_id: UUID, now: datetime) -> None:
    local = now.astimezone(CHINA)
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    month = day.replace(day=1)
    done = await residents.reported_since(uow.conn, uow.org_id, resident_id, day, month)
    if done.month >= quota.CASES_PER_MONTH:
        next_month = (month + timedelta(days=32)).replace(day=1)
        raise quota.refused("本月登记工单", int((next_month - local).total_seconds()) + 1)
    if done.today >= quota.CASES_PER_DAY:
        raise quota.refused("今日登记工单", int((day + timedelta(days=1) - local).total_seconds()) + 1)


async def register_case(cmd: ResidentCase, uow: UnitOfWork) -> UUID:
    """报事报修 for one of the resident's flats or a public area: reporter = the resident, first
    receiver = the key that signed them in, severity general (staff reclassify)."""
    if cmd.kind not in RESIDENT_KINDS:
        raise invalid("住户可登记报修、投诉、咨询、求助、建议或表扬。A resident may register a repair, complaint, inquiry, "
                      "request, suggestion or praise.", "kind")
    now = datetime.now(UTC)
    async with uow:
        uow.require(Permission.RESIDENT_SELF, cmd.project_id)
        await _count_mutation(uow)
        sent = {"kind": cmd.kind.value, "category": cmd.category, "description": cmd.description, "unit_id": cmd.unit_ref,
                "public_area": cmd.public_area, "photos": list(cmd.photos) if cmd.photos_sent else None}
        if (done := await uow.claim(cmd.idempotency_key, "residentRegisterCase", sent)) is not None:
            return UUID(done["case_id"])
        # A public-area case checks no flat: without this, a token outliving its resident's last
        # move-out (or erasure) still registered cases in the project.
        if not await residents.still_living(uow.conn, uow.org_id, cmd.resident_id):
            raise DomainError(ErrorCode.NOT_FOUND, "档案中没有该住户（或已迁出）。No resident on file (or moved out).",
                              reason=ErrorReason.NO_RESIDENT)
        await _within_case_limits(uow, cmd.resident_id, now)
        registered = await intake.register(
            CaseRepository(uow),
            RegisterCase(project_id=cmd.project_id, kind=cmd.kind, severity=Severity.GENERAL, channel=cmd.channel,
                         description=cmd.description, category_code=cmd.category, unit_id=cmd.unit_id,
                         public_area=cmd.public_area, reporter_resident_id=cmd.resident_id, photos=cmd.photos),
            org_id=uow.org_id, receiver=Actor(cmd.key_id), now=now)
        await uow.commit({"case_id": str(registered.case.id)})
    return registered.case.id


async def confirm_case(cmd: ConfirmCase, uow: UnitOfWork) -> UUID:
    return await _change(uow, cmd, "residentConfirmCase", Permission.RESIDENT_SELF, {},
                         lambda case, actor, now: case.confirm(now=now, actor=actor), first=_count_mutation)


async def reject_case(cmd: RejectCase, uow: UnitOfWork) -> UUID:
    return await _change(uow, cmd, "residentRejectCase", Permission.RESIDENT_SELF, {"reason": cmd.reason},
                         lambda case, actor, now: case.reject(cmd.reason, now=now, actor=actor), first=_count_mutation)


async def rate_case(cmd: ReturnVisit, uow: UnitOfWork) -> UUID:
    """回访 by the resident: counts as the case's return visit; a project may turn it off."""
    async def rate(case: Case, actor: Actor, now: datetime) -> None:
        if not await residents.rating_on(uow.conn, uow.org_id, case.project_id):
            raise DomainError(ErrorCode.FORBIDDEN, "本项目未开放住户评价，将由客服回访。This project does not take residents' "
                                                   "ratings; customer service will call back.", reason=ErrorReason.RESIDENT_RATING_OFF)
        case.return_visit(cmd.satisfaction, cmd.score, cmd.comment, visitor=actor, now=now, channel="resident")

    sent = {"satisfaction": cmd.satisfaction.value, "score": cmd.score, "comment": cmd.comment}
    return await _change(uow, cmd, "residentRateCase", Permission.RESIDENT_SELF, sent, rate, first=_count_mutation)


async def cancel_case(cmd: CancelCase, uow: UnitOfWork) -> UUID:
    """撤诉 The resident withdraws their case, in the states the model allows."""
    return await _change(uow, cmd, "residentCancelCase", Permission.RESIDENT_SELF, {"reason": cmd.reason},
                         lambda case, actor, now: case.cancel(cmd.reason, actor=actor, now=now, by_resident=True),
                         first=_count_mutation)
