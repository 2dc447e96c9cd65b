"""导出个人信息 A resident's copy of what the company holds about them (PIPL 查阅/复制, docs/archive.md
§3): `personal_data:read` on their project, a reason, and the audit row `personal_data.exported`
committed with the read — as a reveal's is, and counted with the reveals in their hourly limit.
The numbers are opened here, unmasked: the copy is for the person themselves. The workbook is the
API's business (api/export/personal_data.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from domain.archive import pipl_reads
from domain.archive.reveal import checked_reason, within_limit
from domain.archive.reveal_repository import RevealRepository
from domain.errors import not_found
from domain.reads import ConnectionReader, Row
from domain.unit_of_work import Aggregate, AuditEntry, UnitOfWork
from tenants.roles import Permission


@dataclass(frozen=True)
class ExportPersonalData:
    resident_id: UUID
    reason: str


@dataclass(frozen=True)
class PersonalData:
    resident: Row[Any]
    phone: str | None
    id_number: str | None
    contacts: list[tuple[Row[Any], str]]  # each contact with its value opened
    rows: dict[str, list[Row[Any]]] = field(default_factory=dict)  # stays, vehicles, pets, cases, views


@dataclass(kw_only=True)
class _Exported(Aggregate):
    """The record of one copy taken: who, when, why — never what was in it."""

    resident_id: UUID
    project_id: UUID

    def taken(self, *, reason: str, by: str) -> None:
        self.audit.append(AuditEntry(action="personal_data.exported", entity="resident", entity_id=self.resident_id,
                                     project_id=self.project_id, data={"reason": reason}, actor=by))


async def export_personal_data(cmd: ExportPersonalData, uow: UnitOfWork, *, unseal: Callable[[bytes], str]) -> PersonalData:
    reason = checked_reason(cmd.reason)
    async with uow:
        db = ConnectionReader(uow.conn, uow.org_id)
        r = await pipl_reads.resident(db, cmd.resident_id)
        if r is None:
            raise not_found("The resident", "residentId", zh="住户")
        uow.require(Permission.PERSONAL_DATA_READ, r.project_id, "residentId")
        # Every number opened at once: within the reveals' hourly limit, and counted in it.
        within_limit(*await RevealRepository(uow).revealed_last_hour(uow.actor))
        rows = await pipl_reads.belongings(db, uow.org_id, r.id)
        contacts = [(c, unseal(bytes(c.value_enc))) for c in rows.pop("contacts")]
        record = _Exported(resident_id=r.id, project_id=r.project_id)
        record.taken(reason=reason, by=uow.actor)
        uow.track(record)
        await uow.commit()
    return PersonalData(resident=r, phone=unseal(bytes(r.phone_enc)) if r.phone_enc else None,
                        id_number=unseal(bytes(r.id_number_enc)) if r.id_number_enc else None, contacts=contacts, rows=rows)
