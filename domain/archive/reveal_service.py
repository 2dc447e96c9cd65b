"""The reveal of a resident's personal data, one use case in the caller's unit of work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from domain.archive.reveal import RevealField, checked_reason, may_reveal_for_case, within_limit
from domain.archive.reveal_repository import RevealRepository
from domain.errors import invalid
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission


@dataclass(frozen=True)
class RevealResidentData:
    resident_id: UUID
    field: RevealField
    reason: str
    case_id: UUID | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True)
class Revealed:
    value: str | None  # None: nothing on file, or a replayed key (the value is shown once)
    replayed: bool = False


async def reveal_resident_data(cmd: RevealResidentData, uow: UnitOfWork, *, unseal: Callable[[bytes], str]) -> Revealed:
    """显示 The clear value, once; the audit row (who, field, reason, case) commits with the read.
    The idempotency result holds ids only: a replayed key answers no value and writes nothing."""
    reason = checked_reason(cmd.reason)
    async with uow:
        request = {"residentId": str(cmd.resident_id), "field": cmd.field.value, "reason": reason,
                   "caseId": str(cmd.case_id) if cmd.case_id else None}
        if await uow.claim(cmd.idempotency_key, "revealResidentData", request) is not None:
            return Revealed(value=None, replayed=True)
        repo = RevealRepository(uow)
        resident = await repo.resident(cmd.resident_id)
        uow.require(Permission.CASE_READ, resident.project_id, field="residentId")
        case = await repo.case(cmd.case_id) if cmd.case_id else None
        if not uow.may(Permission.PERSONAL_DATA_READ, resident.project_id):
            may_reveal_for_case(resident, cmd.field, case, uow.actor)
        elif case is not None and case.reporter_resident_id != resident.id:
            # The audit row names the case the reveal was for: it must be one of this resident's.
            raise invalid("该工单不是此住户报的，不能作为查看依据。The case was not reported by this resident.", "caseId")
        within_limit(*await repo.revealed_last_hour(uow.actor))
        sealed = resident.reveal(cmd.field, reason=reason, by=uow.actor, case_id=cmd.case_id)
        await uow.commit({"residentId": str(resident.id), "field": cmd.field.value})
    return Revealed(value=unseal(sealed) if sealed else None)
