"""A page of flats per building, for `Building.units` under a list of buildings: the pages asked
with one filter and size are read in one statement, whatever the number of buildings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from api.request_db import RequestDb
from domain.archive.reads import UnitFilter, unit_pages
from domain.reads import Row


@dataclass(frozen=True)
class UnitPageKey:
    project_id: UUID
    building_id: UUID
    terms: UnitFilter  # its building_id is not read: the key's is
    after: UUID | None
    limit: int


async def unit_pages_by_building(db: RequestDb, keys: Sequence[UnitPageKey]) -> list[list[Row]]:
    groups: dict[tuple[UUID, UnitFilter, int], list[int]] = defaultdict(list)
    for i, k in enumerate(keys):
        groups[(k.project_id, k.terms, k.limit)].append(i)
    out: list[list[Row]] = [[] for _ in keys]
    for (project_id, terms, limit), slots in groups.items():
        pages = await unit_pages(db, project_id, terms, [(keys[i].building_id, keys[i].after) for i in slots], limit)
        for i, rows in zip(slots, pages, strict=True):
            out[i] = rows
    return out
