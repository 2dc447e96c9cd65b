"""The duty roster's use cases, each in the caller's unit of work."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from domain.roster.commands import AddDutyShift, RemoveDutyShift
from domain.roster.model import Shift
from domain.roster.repository import ShiftRepository
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission


async def add_duty_shift(cmd: AddDutyShift, uow: UnitOfWork) -> UUID:
    """The new shift's id (the first one's, on a replayed key)."""
    uow.require(Permission.ROSTER_MANAGE, cmd.project_id)
    # The times are refused before the key is claimed, as they are wrong whatever the key.
    shift = Shift.plan(project_id=cmd.project_id, department_id=cmd.department_id, user_id=cmd.user_id,
                       starts_at=cmd.starts_at, ends_at=cmd.ends_at, now=datetime.now(UTC), kind=cmd.kind)
    async with uow:
        if (done := await uow.claim(cmd.idempotency_key, "addDutyShift", cmd.request)) is not None:
            return UUID(done["shift_id"])
        await ShiftRepository(uow).add(shift)
        await uow.commit({"shift_id": str(shift.id)})
    return shift.id


async def remove_duty_shift(cmd: RemoveDutyShift, uow: UnitOfWork) -> UUID:
    async with uow:
        if (done := await uow.claim(cmd.idempotency_key, "removeDutyShift", cmd.request)) is not None:
            return UUID(done["shift_id"])
        shifts = ShiftRepository(uow)
        shift = await shifts.get(cmd.shift_id)
        uow.require(Permission.ROSTER_MANAGE, shift.project_id)
        shift.remove()
        await shifts.delete(shift)
        await uow.commit({"shift_id": str(shift.id)})
    return shift.id
