"""A staff member's personal data as the people who may see it read it: a full number is shown
only with an audit entry of who saw it, committed with the read — no unaudited reveal. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.unit_of_work import Aggregate, AuditEntry


@dataclass(kw_only=True)
class StaffMember(Aggregate):
    id: UUID
    project_id: UUID
    phone_sealed: bytes | None  # encrypted at rest (tenants/personal_data.py)

    def reveal_phone(self, *, by: str) -> bytes | None:
        self.audit.append(AuditEntry(action="personal_data.revealed", entity="staff", entity_id=self.id,
                                     project_id=self.project_id, data={"field": "phone"}, actor=by))
        return self.phone_sealed
