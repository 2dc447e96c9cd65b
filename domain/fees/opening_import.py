"""导入期初欠费 Importing opening balances (docs/resident-services.md §6.8) on the archive's one
pipeline (docs/archive.md §6.3): the same reader, report, staging by COPY, set checks in SQL,
project lock, savepoint and dry run; only the sheet and its merge are the fee context's.

    result = await import_opening(ImportOpening(project_id, source, dry_run=False), uow, progress)

- `uow`: a unit of work on the company whose caller holds `fee:import` on the project (the
  worker's runs as the person who asked). Another company's project, or one out of reach, is
  `NOT_FOUND`; a second import of the project while one runs is `CONFLICT`/`IMPORT_RUNNING`.
  Anything wrong in the file comes back in `ImportResult.problems`, and nothing is written.
- All or nothing; a dry run does every step and undoes the bills, committing its audit row only.
  Audit row `fees.opening_imported` {counts, sha256, dryRun, rows, total_fen}; applied, also the
  outbox event of the same name {count, total_fen, periods} — ids and amounts only."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.archive.import_service import ImportResult, Progress, file_sha256
from domain.archive.importer import BATCH, ImportSession
from domain.archive.import_sql import Staged
from domain.archive.report import Report
from domain.archive.workbook import Source, Workbook, open_workbook
from domain.errors import DomainError, ErrorCode, ErrorReason, not_found
from domain.events import Event
from domain.fees import opening_sql
from domain.fees.opening_sheet import OPENING, SHEETS, STAGING, record
from domain.unit_of_work import Aggregate, AuditEntry, UnitOfWork
from tenants.roles import Permission

_KEY = OPENING.key
_TOTALS = ("SELECT count(*) AS n, coalesce(sum(amount_fen), 0) AS fen, "
           "coalesce(array_agg(DISTINCT to_char(period, 'YYYY-MM')) FILTER (WHERE period IS NOT NULL), '{}') AS periods "
           f"FROM import_{_KEY} WHERE NOT bad")


@dataclass(frozen=True, slots=True)
class ImportOpening:
    project_id: UUID
    source: Source  # bytes, or a path
    dry_run: bool = False


async def import_opening(cmd: ImportOpening, uow: UnitOfWork, progress: Progress | None = None) -> ImportResult:
    sha256 = await asyncio.to_thread(file_sha256, cmd.source)
    report = Report()
    async with uow:
        uow.require(Permission.FEE_IMPORT, cmd.project_id)
        session = ImportSession(uow.conn, uow.org_id, cmd.project_id, columns=STAGING)
        code = await session.project_code()
        if code is None:
            raise not_found("The project", "projectId", zh="项目")
        if not await session.lock():
            raise DomainError(ErrorCode.CONFLICT, "该项目正在导入，请等它结束后再试。An import of this project is running.",
                              "projectId", reason=ErrorReason.IMPORT_RUNNING)
        book = await asyncio.to_thread(open_workbook, cmd.source, report, project_code=code, known=SHEETS)
        if book is None:
            return _result(cmd, report, None, 0, sha256, [])
        with book:
            sheets = [s.key for s in book.sheets]
            await session.begin_trial()
            await session.create_tables(sheets)
            rows = await _stage(book, session, report, progress)
        if not report.clean:
            return _result(cmd, report, None, rows, sha256, sheets)  # leaving the block rolls back
        await session.analyze(sheets)
        db = Staged(uow.conn, uow.org_id, cmd.project_id, report, book.where, SHEETS)
        counts = await opening_sql.opening(db)
        if not report.clean:
            return _result(cmd, report, None, rows, sha256, sheets)
        totals = await db.one(_TOTALS)
        if cmd.dry_run:
            await session.undo_trial()
        result = _result(cmd, report, counts.as_dict(), rows, sha256, sheets)
        uow.track(_imported(uow, cmd, result, int(totals.fen), sorted(totals.periods)))
        await uow.commit()
    return result


async def _stage(book: Workbook, session: ImportSession, report: Report, progress: Progress | None) -> int:
    """The sheet's rows into staging a batch at a time; reading runs off the event loop."""
    estimate = await asyncio.to_thread(book.estimated_rows)
    lines = book.rows(OPENING)
    where = book.where
    read = 0

    def take() -> list[tuple[Any, ...]] | None:
        nonlocal read
        batch: list[tuple[Any, ...]] = []
        for row in lines:
            read += 1
            staged = record(row, report, where.get(_KEY, {}))
            if staged is not None:
                batch.append(staged)
            if len(batch) >= BATCH:
                return batch
        return batch or None

    while (batch := await asyncio.to_thread(take)) is not None:
        await session.copy(_KEY, batch)
        if progress is not None:
            await progress(read, max(estimate, read))
    return read


def _imported(uow: UnitOfWork, cmd: ImportOpening, result: ImportResult, total_fen: int, periods: list[str]) -> Aggregate:
    counts = result.counts.get(_KEY, {})
    data: dict[str, Any] = {"counts": result.counts, "sha256": result.sha256, "dryRun": cmd.dry_run,
                            "rows": result.rows_total, "total_fen": total_fen}
    event = None if cmd.dry_run else Event(
        topic="fees.opening_imported", org_id=uow.org_id, project_id=cmd.project_id,
        payload={"project_id": str(cmd.project_id), "count": counts.get("created", 0) + counts.get("updated", 0),
                 "total_fen": total_fen, "periods": periods})
    audit = AuditEntry(action="fees.opening_imported", entity="project", entity_id=cmd.project_id,
                       project_id=cmd.project_id, data=data, event_id=event.id if event else None)
    return Aggregate(audit=[audit], events=[event] if event else [])


def _result(cmd: ImportOpening, report: Report, counts: dict[str, int] | None, rows: int, sha256: str,
            sheets: list[str]) -> ImportResult:
    return ImportResult(counts={_KEY: counts} if counts is not None else {}, problems=list(report.problems),
                        problem_count=report.total, rows_total=rows, dry_run=cmd.dry_run,
                        applied=report.clean and not cmd.dry_run and counts is not None, sha256=sha256, sheets=sheets)
