"""导入档案 Importing an archive workbook (docs/archive.md §6.3): one pipeline for the CLI and the
upload worker. The signature is what both build on:

    result = await import_archive(ImportArchive(project_id, source, dry_run=False), uow, progress,
                                  cipher=platform.cipher)

- `source`: the workbook's bytes or a path to it (≤ 20 MB; the file checks are the report's).
- `uow`: a unit of work on the company, whose caller holds `archive:import` on the project
  (a worker passes its own actor and `may=None`). Another company's project, or one out of the
  caller's reach, is `NOT_FOUND`; a second import of the project while one runs is `CONFLICT`
  with reason `IMPORT_RUNNING`. Both raise `DomainError`; anything wrong *in the file* does not
  raise: it comes back in `ImportResult.problems`, and nothing is written.
- `progress`: None, or an async callable `(rows_read, rows_estimated)` awaited after each batch
  of 5,000 rows (the estimate is what the sheets' headers claim; it may be off).
- All or nothing: any problem rolls everything back (`applied` False). A dry run does every step,
  answers the exact counts, then undoes the archive's changes; it commits only its audit row.
  Applied or dry, one audit row `archive.imported` {counts, sha256, dryRun, rows} — no personal
  data; applied, also the outbox event `archive.imported` (the accuracy KPI recomputes from it).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from domain.archive.import_sql import Counts
from domain.archive.import_stage import Sealer, record
from domain.archive.importer import BATCH, ImportSession
from domain.archive.report import Problem, Report
from domain.archive.sheets import Sheet
from domain.archive.workbook import Row, Source, Workbook, open_workbook
from domain.errors import DomainError, ErrorCode, ErrorReason, not_found
from domain.events import Event
from domain.unit_of_work import Aggregate, AuditEntry, UnitOfWork
from tenants.personal_data import PersonalDataCipher
from tenants.roles import Permission

Progress = Callable[[int, int], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class ImportArchive:
    project_id: UUID
    source: Source  # bytes, or a path
    dry_run: bool = False


@dataclass(frozen=True)
class ImportResult:
    counts: dict[str, dict[str, int]]  # by sheet key (buildings, units, residents, …): created/updated/unchanged
    problems: list[Problem]  # the first 1,000
    problem_count: int
    rows_total: int  # the rows read (good or not), over every sheet
    dry_run: bool
    applied: bool  # committed to the archive: no problem and not a dry run
    sha256: str = ""
    sheets: list[str] = field(default_factory=list)  # the sheets found, by key

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


async def import_archive(cmd: ImportArchive, uow: UnitOfWork, progress: Progress | None = None, *,
                         cipher: PersonalDataCipher) -> ImportResult:
    """`cipher` seals each phone and ID number as it is read: ciphertext, keyed hash, mask."""
    sha256 = await asyncio.to_thread(file_sha256, cmd.source)
    report = Report()
    async with uow:
        uow.require(Permission.ARCHIVE_IMPORT, cmd.project_id)
        session = ImportSession(uow.conn, uow.org_id, cmd.project_id)
        code = await session.project_code()
        if code is None:
            raise not_found("The project", "projectId", zh="项目")
        if not await session.lock():
            raise DomainError(ErrorCode.CONFLICT, "该项目正在导入，请等它结束后再试。An import of this project is running.",
                              "projectId", reason=ErrorReason.IMPORT_RUNNING)
        book = await asyncio.to_thread(open_workbook, cmd.source, report, project_code=code)
        if book is None:
            return _result(cmd, report, {}, 0, sha256, [])
        with book:
            sheets = [s.key for s in book.sheets]
            await session.begin_trial()
            await session.create_tables(sheets)
            rows = await _stage(book, session, Sealer(cipher), report, progress)
        if not report.clean:
            return _result(cmd, report, {}, rows, sha256, sheets)  # leaving the block rolls back
        await session.analyze(sheets)
        counts = await session.merge(sheets, report, book.where)
        if not report.clean:
            return _result(cmd, report, {}, rows, sha256, sheets)
        if cmd.dry_run:
            await session.undo_trial()
        result = _result(cmd, report, counts, rows, sha256, sheets)
        uow.track(_imported(uow, cmd, result))
        await uow.commit()
    return result


async def _stage(book: Workbook, session: ImportSession, sealer: Sealer, report: Report,
                 progress: Progress | None) -> int:
    """Every sheet's rows into its staging table, a batch at a time; reading and sealing run off
    the event loop (they are most of the import's CPU)."""
    estimate = await asyncio.to_thread(book.estimated_rows)
    before = 0  # rows read on the sheets before this one
    for sheet in book.sheets:
        rows = _Rows(book, sheet, sealer, report)
        while (batch := await asyncio.to_thread(rows.take, BATCH)) is not None:
            await session.copy(sheet.key, batch)
            if progress is not None:
                await progress(before + rows.read, max(estimate, before + rows.read))
        before += rows.read
        if report.full:
            break
    return before


class _Rows:
    """A sheet's staging records, `take`n a batch at a time, counting the rows read."""

    def __init__(self, book: Workbook, sheet: Sheet, sealer: Sealer, report: Report) -> None:
        self._sheet = sheet
        self._sealer = sealer
        self._report = report
        self._where = book.where
        self._lines: Iterator[Row] = book.rows(sheet)
        self.read = 0
        self._done = False

    def take(self, n: int) -> list[tuple[Any, ...]] | None:
        """The next records (None when the sheet is done); rows refused by the report are counted, not staged."""
        if self._done:
            return None
        batch: list[tuple[Any, ...]] = []
        for row in self._lines:
            self.read += 1
            staged = record(self._sheet, row, self._sealer, self._report, self._where.get(self._sheet.key, {}))
            if staged is not None:
                batch.append(staged)
            if len(batch) >= n:
                return batch
        self._done = True
        return batch or None


def _imported(uow: UnitOfWork, cmd: ImportArchive, result: ImportResult) -> Aggregate:
    data: dict[str, Any] = {"counts": result.counts, "sha256": result.sha256, "dryRun": cmd.dry_run,
                            "rows": result.rows_total}
    event = None if cmd.dry_run else Event(topic="archive.imported", org_id=uow.org_id, project_id=cmd.project_id,
                                           payload={"project_id": str(cmd.project_id), "actor": uow.actor,
                                                    "counts": result.counts, "sha256": result.sha256, "dry_run": False})
    audit = AuditEntry(action="archive.imported", entity="project", entity_id=cmd.project_id, project_id=cmd.project_id,
                       data=data, event_id=event.id if event else None)
    return Aggregate(audit=[audit], events=[event] if event else [])


def _result(cmd: ImportArchive, report: Report, counts: dict[str, Counts], rows: int, sha256: str,
            sheets: list[str]) -> ImportResult:
    return ImportResult(counts={k: c.as_dict() for k, c in counts.items()}, problems=list(report.problems),
                        problem_count=report.total, rows_total=rows, dry_run=cmd.dry_run,
                        applied=report.clean and not cmd.dry_run and bool(counts), sha256=sha256, sheets=sheets)


def file_sha256(source: Source) -> str:
    if isinstance(source, bytes):
        return hashlib.sha256(source).hexdigest()
    digest = hashlib.sha256()
    with open(os.fspath(source), "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
