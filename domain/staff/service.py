"""Staff use cases, each in the caller's unit of work."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from domain.staff.repository import StaffRepository
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission


async def reveal_staff_phone(staff_id: UUID, uow: UnitOfWork, *, unseal: Callable[[bytes], str]) -> str | None:
    """显示号码 The full number, or None when none is on file; the audit row commits with the read.
    `unseal` decrypts it (the platform's personal-data cipher)."""
    async with uow:
        member = await StaffRepository(uow).get(staff_id)
        uow.require(Permission.PERSONAL_DATA_READ, member.project_id)
        sealed = member.reveal_phone(by=uow.actor)
        await uow.commit()
    return unseal(sealed) if sealed else None
