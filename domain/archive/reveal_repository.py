"""What a reveal reads and counts, inside the company's wall (row-level security): another
company's resident or case, or one of a project outside the caller's grants, is not found."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import text

from domain.archive.reveal import CaseOfCaller, SealedResident
from domain.errors import not_found
from domain.unit_of_work import UnitOfWork

_RESIDENT = text("SELECT id, project_id, phone_enc, id_number_enc FROM residents WHERE org_id = :o AND id = :id")
_CASE = text("SELECT id, reporter_resident_id, state, assignee_id FROM cases WHERE org_id = :o AND id = :id")
# One reveal at a time per person, so two at once cannot both slip under the limit.
_LOCK = text("SELECT pg_advisory_xact_lock(hashtext('personal_data.revealed:' || :actor))")
# Counted on the partial index audit_log_reveals (org_id, actor, at). A personal-data export opens
# every number of a resident at once: it counts as a reveal, or the export would be the way round
# the limit.
_LAST_HOUR = text(
    "SELECT count(*) AS n, "
    "  coalesce(ceil(extract(epoch FROM min(at) + interval '1 hour' - now())), 0)::int AS retry_after "
    "FROM audit_log WHERE audit_log.org_id = :o AND action IN ('personal_data.revealed', 'personal_data.exported') AND actor = :actor "
    "AND at > now() - interval '1 hour'"
)


class RevealRepository:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def resident(self, resident_id: UUID) -> SealedResident:
        row = (await self._uow.conn.execute(_RESIDENT, {"o": self._uow.org_id, "id": resident_id})).first()
        if row is None:
            raise not_found("The resident", "residentId", zh="住户")
        resident = SealedResident(id=row.id, project_id=row.project_id,
                                  phone_sealed=bytes(row.phone_enc) if row.phone_enc else None,
                                  id_number_sealed=bytes(row.id_number_enc) if row.id_number_enc else None)
        self._uow.track(resident)
        return resident

    async def case(self, case_id: UUID) -> CaseOfCaller:
        row = (await self._uow.conn.execute(_CASE, {"o": self._uow.org_id, "id": case_id})).first()
        if row is None:
            raise not_found("The case", "caseId", zh="工单")
        return CaseOfCaller(id=row.id, reporter_resident_id=row.reporter_resident_id, state=row.state,
                            assignee_id=row.assignee_id)

    async def revealed_last_hour(self, actor: str) -> tuple[int, int]:
        """How many reveals and personal-data exports `actor` made in the last hour, and seconds
        until the oldest leaves it."""
        await self._uow.conn.execute(_LOCK, {"actor": actor})
        row = (await self._uow.conn.execute(_LAST_HOUR, {"o": self._uow.org_id, "actor": actor})).one()
        return int(row.n), int(row.retry_after)
