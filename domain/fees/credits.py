"""预存抵扣 The credits consumer (docs/resident-services.md §6.5): when bills are generated, every
flat's unallocated credit (what its payments left over) pays its open bills — oldest credit to
oldest bill (due date, period, item code) — so a resident who prepaid is not counted in arrears
or reminded. Set-based: both sides laid end to end per flat as running ranges, each allocation
the overlap of a credit's range with a bill's. Runs in the consumer's unit of work; a
redelivered event finds the consumer's mark and changes nothing, and a second pass would find no
credit meeting an open bill."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.fees.repository import FeeRepository
from domain.unit_of_work import Aggregate, AuditEntry, UnitOfWork


async def apply_credits(uow: UnitOfWork, event: dict[str, Any]) -> None:
    project_id = UUID(event["project_id"])
    count, total = await FeeRepository(uow).apply_credits(project_id)
    if count:
        uow.track(Aggregate(audit=[AuditEntry(action="credits.applied", entity="bill_run",
                                              entity_id=UUID(event["payload"]["bill_run_id"]), project_id=project_id,
                                              data={"allocations": count, "amount_fen": total})]))
