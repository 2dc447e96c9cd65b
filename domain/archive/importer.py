"""The import in PostgreSQL (docs/archive.md §6.3 steps 4-6): the project's lock and time limit,
the staging tables filled by COPY in batches, then each sheet's set checks and merge in dependency
order (楼栋, 房屋, 住户, 车位, 车辆, 宠物, 员工), so a later sheet finds what an earlier one added —
references resolve against the archive and the file alike. A refused row is flagged and left out;
any problem means the caller rolls everything back. The staged rows never leave the database:
Python holds one batch at a time."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.archive import import_belongings, import_people, import_places
from domain.archive.import_sql import Counts, Staged
from domain.archive.import_stage import COLUMNS, Staging, column_names, create_sql, table
from domain.archive.report import Report

BATCH = 5_000
STATEMENT_TIMEOUT_MS = 300_000
# The first key of the two-key advisory lock: the archive import's, beside other users of the lock space.
_LOCK_CLASS = 16_006

_MERGES: dict[str, Callable[[Staged], Awaitable[Counts]]] = {
    "buildings": import_places.buildings, "units": import_places.units, "residents": import_people.residents,
    "parking": import_places.parking, "vehicles": import_belongings.vehicles, "pets": import_belongings.pets,
    "staff": import_belongings.staff,
}
ORDER = tuple(_MERGES)
# What a later sheet's rows reference, by the sheet that fills it; analysed when it grew by more
# than a few rows (residents inside the 住户 merge, before the stays go in).
_REFERENCED = {"buildings": "buildings", "units": "units", "parking": "parking_spaces"}
_FEW = 1_000

_PROJECT_CODE = text("SELECT code FROM projects WHERE org_id = :o AND id = :p")
_LOCK = text("SELECT pg_try_advisory_xact_lock(:k, hashtext(:p))")


class ImportSession:
    """One import's statements on its tenant transaction."""

    def __init__(self, conn: AsyncConnection, org_id: UUID, project_id: UUID, *, columns: Staging = COLUMNS) -> None:
        """`columns`: the staging tables of this kind of import (the archive's by default). Every kind
        takes the one project lock: a fee import reads the flats an archive import may be adding."""
        self._conn = conn
        self._org = org_id
        self._project = project_id
        self._columns = columns

    async def project_code(self) -> str | None:
        """None: no such project, or out of the caller's reach (row-level security)."""
        code: str | None = (await self._conn.execute(_PROJECT_CODE, {"o": self._org, "p": self._project})).scalar()
        return code

    async def lock(self) -> bool:
        """The project's import lock, held to the transaction's end; False when another import holds it.
        The transaction's time limit rises with it: 100,000 rows take tens of seconds."""
        await self._conn.exec_driver_sql(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}")
        locked: bool = (await self._conn.execute(_LOCK, {"k": _LOCK_CLASS, "p": str(self._project)})).scalar_one()
        return locked

    async def begin_trial(self) -> None:
        """What the archive's tables get from here can be undone alone (a dry run keeps only its audit row)."""
        await self._conn.exec_driver_sql("SAVEPOINT archive_import")

    async def undo_trial(self) -> None:
        await self._conn.exec_driver_sql("ROLLBACK TO SAVEPOINT archive_import")

    async def create_tables(self, sheets: Sequence[str]) -> None:
        for sheet in sheets:
            await self._conn.exec_driver_sql(create_sql(sheet, self._columns))

    async def copy(self, sheet: str, records: list[tuple[Any, ...]]) -> None:
        if not records:
            return
        driver: Any = (await self._conn.get_raw_connection()).driver_connection
        await driver.copy_records_to_table(table(sheet), records=records,
                                             columns=column_names(sheet, self._columns))

    async def analyze(self, sheets: Sequence[str]) -> None:
        """Statistics for the staged rows: a temp table has none, and the checks' joins over
        100,000 rows need them to choose hash joins over nested loops."""
        for sheet in sheets:
            await self._conn.exec_driver_sql(f"ANALYZE {table(sheet)}")

    async def merge(self, sheets: Sequence[str], report: Report, where: dict[str, dict[str, str]]) -> dict[str, Counts]:
        db = Staged(self._conn, self._org, self._project, report, where)
        counts = {}
        for sheet in ORDER:
            if sheet in sheets:
                counts[sheet] = await _MERGES[sheet](db)
                if sheet in _REFERENCED and counts[sheet].created > _FEW:
                    await db.analyze(_REFERENCED[sheet])
        return counts
