"""What the import's set checks and merges share (docs/archive.md §6.3 steps 5-6): statements on
the one transaction with the company and project bound, a check that flags staged rows and
reports them, and the counts a merge answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.archive.report import Report
from domain.archive.sheets import SHEETS, Sheet


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


class Staged:
    """The staged sheets on the import's connection, for one project."""

    def __init__(self, conn: AsyncConnection, org_id: UUID, project_id: UUID, report: Report,
                 where: dict[str, dict[str, str]], sheets: tuple[Sheet, ...] = SHEETS) -> None:
        self._conn = conn
        self._params = {"o": org_id, "p": project_id}
        self.report = report
        self._where = where
        self._names = {s.key: s.name for s in sheets}

    async def run(self, sql: str, **params: Any) -> None:
        await self._conn.execute(text(sql), {**self._params, **params})

    async def one(self, sql: str, **params: Any) -> Any:
        return (await self._conn.execute(text(sql), {**self._params, **params})).one()

    async def analyze(self, table: str) -> None:
        """Fresh statistics for an archive table the import just filled, before rows referencing it
        go in (their foreign-key checks are planned from them); through the owner's function."""
        await self._conn.execute(text("SELECT archive_analyze(:t)"), {"t": table})

    async def flag(self, sheet: str, code: str, field: str, sql: str, **args: Any) -> None:
        """`sql` selects `row` and `value` (and `first`, `name` where the message needs them) of the
        staged rows that fail; they are reported and take no part in the merge."""
        found = (await self._conn.execute(text(sql), self._params)).all()
        if not found:
            return
        for r in found:
            extra = {k: getattr(r, k) for k in ("first", "name") if k in r._fields}
            self.report.add(code, sheet=self._names[sheet], row=r.row, column=self._where.get(sheet, {}).get(field, ""),
                            value=str(r.value or "")[:50], **args, **extra)
        await self.run(f"UPDATE import_{sheet} SET bad = true WHERE row = ANY(:rows)", rows=[r.row for r in found])

    async def counts(self, sheet: str, merged_sql: str) -> Counts:
        """`merged_sql` is an upsert returning `created` per row it wrote; the staged good rows it
        did not write are unchanged."""
        n = (await self.one(f"SELECT count(*) FROM import_{sheet} WHERE NOT bad"))[0]
        created, updated = await self.one(
            f"WITH m AS ({merged_sql}) SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM m")
        return Counts(created, updated, n - created - updated)


# The flat a staged row names, as the report shows it: 3号楼 2单元 1502.
FLAT_NAME = "s.building || coalesce(' ' || nullif(s.entrance, '') || '单元', '') || ' ' || s.number"

# A row's flat to its id: building by name, then the flat by entrance and number.
RESOLVE_FLAT = """
UPDATE import_{t} s SET unit_id = u.id
FROM units u JOIN buildings b ON b.org_id = u.org_id AND b.id = u.building_id
WHERE u.org_id = :o AND u.project_id = :p AND b.name = s.building AND u.entrance = s.entrance
  AND u.number = s.{number}"""

# A reference by phone (a vehicle's owner, a pet's, a space's holder) to the project's one resident
# with that number; two residents with it are AMBIGUOUS_OWNER.
_OWNERS = """(SELECT phone_hash, min(id::text)::uuid AS id, count(*) AS n FROM residents
   WHERE org_id = :o AND project_id = :p AND erased_at IS NULL
     AND phone_hash IN (SELECT {hash} FROM import_{t} WHERE {hash} IS NOT NULL)
   GROUP BY phone_hash)"""


async def resolve_owner(db: Staged, sheet: str, field: str, hash_col: str, id_col: str) -> None:
    owners = _OWNERS.format(hash=hash_col, t=sheet)
    await db.run(f"UPDATE import_{sheet} s SET {id_col} = m.id FROM {owners} m "
                 f"WHERE s.{hash_col} = m.phone_hash AND m.n = 1")
    await db.flag(sheet, "AMBIGUOUS_OWNER", field, f"SELECT s.row, '' AS value FROM import_{sheet} s JOIN {owners} m "
                  f"ON s.{hash_col} = m.phone_hash WHERE NOT s.bad AND m.n > 1")
    await db.flag(sheet, "UNKNOWN_OWNER", field, f"SELECT s.row, '' AS value FROM import_{sheet} s "
                  f"WHERE NOT s.bad AND s.{hash_col} IS NOT NULL AND s.{id_col} IS NULL")
