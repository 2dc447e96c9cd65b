"""An archive export, recorded: who took which list of which project, and how many rows. The file
holds masked values only, yet a list of a whole project's residents leaving the system is worth a
line in the audit log (no personal data in it: the kind and the count)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.unit_of_work import Aggregate, AuditEntry, UnitOfWork
from tenants.roles import Permission


@dataclass(frozen=True)
class RecordExport:
    project_id: UUID
    kind: str  # buildings, units, residents, … (sheets.py keys)
    rows: int
    permission: Permission  # what reading the list needed: archive:read, or staff:read for staff


@dataclass(kw_only=True)
class ArchiveExport(Aggregate):
    project_id: UUID

    def taken(self, kind: str, rows: int) -> None:
        self.audit.append(AuditEntry(action="archive.exported", entity="project", entity_id=self.project_id,
                                     project_id=self.project_id, data={"kind": kind, "rows": rows}))


async def record_export(cmd: RecordExport, uow: UnitOfWork) -> None:
    """The audit row `archive.exported`, committed before the file is answered."""
    async with uow:
        uow.require(cmd.permission, cmd.project_id, field="project")
        export = ArchiveExport(project_id=cmd.project_id)
        export.taken(cmd.kind, cmd.rows)
        uow.track(export)
        await uow.commit()
