"""Staff members in PostgreSQL, inside the company's wall (row-level security): another company's
staff member is not found."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import text

from domain.errors import not_found
from domain.staff.model import StaffMember
from domain.unit_of_work import UnitOfWork

_STAFF = text("SELECT id, project_id, phone_enc FROM staff WHERE org_id = :o AND id = :id")


class StaffRepository:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def get(self, staff_id: UUID) -> StaffMember:
        row = (await self._uow.conn.execute(_STAFF, {"o": self._uow.org_id, "id": staff_id})).first()
        if row is None:
            raise not_found("The staff member", "staffId", zh="员工")
        member = StaffMember(id=row.id, project_id=row.project_id,
                             phone_sealed=bytes(row.phone_enc) if row.phone_enc else None)
        self._uow.track(member)
        return member
