"""删除个人信息 Erasing a resident on their request (PIPL, docs/archive.md §3), one transaction in the
caller's unit of work: `personal_data:erase` on their project, a reason, the record anonymised and
every stored copy of their name or numbers rewritten, the audit row `resident.erased` (the reason,
no personal data) and the event `resident.erased` committed with it. Their cases stay whole."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from domain.archive.accuracy import beijing_today
from domain.archive.erase_repository import ErasureRepository
from domain.archive.erasure import copies_mask, copies_pattern, erased_text
from domain.archive.repository import ArchiveRepository
from domain.archive.reveal import checked_reason
from domain.errors import not_found
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission


@dataclass(frozen=True, slots=True)
class EraseResident:
    resident_id: UUID
    reason: str
    idempotency_key: str | None = None


async def erase_resident(cmd: EraseResident, uow: UnitOfWork, *, unseal: Callable[[bytes], str]) -> UUID:
    """The erased resident's id. A resident erased before answers the same and nothing is written:
    the first erasure stands (its reason, its time, its actor)."""
    reason = checked_reason(cmd.reason)
    async with uow:
        request = {"residentId": str(cmd.resident_id), "reason": reason}
        if (done := await uow.claim(cmd.idempotency_key, "eraseResident", request)) is not None:
            return UUID(done["id"])
        r = await ArchiveRepository(uow).resident(cmd.resident_id)
        if r is None:
            raise not_found("The resident", "residentId", zh="住户")
        uow.require(Permission.PERSONAL_DATA_ERASE, r.project_id, "residentId")
        repo = ErasureRepository(uow)
        # What to look for is read before the record forgets it.
        name = r.name
        sealed = [s.enc for s in (r.phone, r.id_number) if s is not None] + await repo.contact_values(r)
        pattern, mask = copies_pattern(name, [unseal(blob) for blob in sealed]), copies_mask(name)
        # The reason is typed by staff and may name them ("王建国本人来电要求删除"): it is kept masked.
        now = datetime.now(UTC)
        if r.erase(reason=erased_text(pattern, reason, mask), now=now, by=uow.actor):
            await repo.anonymise(r, beijing_today(now))
            if pattern is not None:
                await repo.rewrite_copies(r, pattern, mask)
        await uow.commit({"id": str(r.id)})
    return r.id
