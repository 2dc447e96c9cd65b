"""A fee export, recorded (docs/resident-services.md §6.8): who took which list of which project,
for which day, month or range, and how many rows — no amounts, no personal data."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from domain.unit_of_work import Aggregate, AuditEntry, UnitOfWork
from tenants.roles import Permission


@dataclass(frozen=True)
class RecordFeeExport:
    project_id: UUID
    kind: str  # arrears | bills | payments
    rows: int
    scope: dict[str, str] = field(default_factory=dict)  # asOf, period, or from/to, as asked


async def record_fee_export(cmd: RecordFeeExport, uow: UnitOfWork) -> None:
    """The audit row `fees.exported`, committed before the file is answered."""
    async with uow:
        uow.require(Permission.FEE_READ, cmd.project_id, field="project")
        uow.track(Aggregate(audit=[AuditEntry(action="fees.exported", entity="project", entity_id=cmd.project_id,
                                              project_id=cmd.project_id,
                                              data={"kind": cmd.kind, "rows": cmd.rows, **cmd.scope})]))
        await uow.commit()
