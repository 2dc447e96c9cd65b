"""Running a queued archive import (docs/archive.md §6.4), for the worker's actor: claim the job
(queued → running, or a run dead for 15 minutes), decrypt its upload, run the import service in
one tenant transaction on the job's project as the person who asked, and write the end state in
that same transaction — the data and "succeeded" commit together, or neither. Progress goes through
short transactions of its own (domain/archive/progress.py). A job already finished, or running
elsewhere, is left alone: a redelivered message does nothing."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from domain.archive import upload_repository as repo
from domain.archive.import_service import ImportArchive, import_archive
from domain.archive.problem_mask import masked_problem
from domain.archive.progress import ImportProgress
from domain.archive.sheets import SHEETS
from domain.fees.opening_import import ImportOpening, import_opening
from domain.fees.opening_sheet import SHEETS as FEE_SHEETS
from domain.archive.upload_repository import Claimed
from domain.errors import DomainError
from domain.unit_of_work import Joined, UnitOfWork
from tenants.context import TenantScope
from tenants.db import tenant_transaction
from tenants.platform import Platform

log = logging.getLogger("firstcall.archive_import")
ACTOR = "system:archive-import"
ATTEMPTS = 4  # the first and the actor's three retries
STATEMENT_TIMEOUT_MS = 300_000  # an import's set statements run over a whole project's archive
_GONE = "上传的文件已被清除（保留 24 小时），请重新上传。The upload was purged (uploads are kept 24 hours): upload again."
_BROKE = "导入出错，已记录，请稍后重试。The import failed unexpectedly; it has been logged. Try again later."


@dataclass
class Outcome:
    """What the service found, as the job's row keeps it."""
    state: str  # succeeded | rejected | failed
    rows: int = 0
    total: int | None = None
    counts: list[dict[str, Any]] = field(default_factory=list)
    problem_count: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None


async def run_import(platform: Platform, org_id: UUID, import_id: UUID) -> str | None:
    """The job's end state, or None when there was nothing to do. Raises (after putting the job
    back in the queue) when the run broke and retries remain."""
    scope = TenantScope(org_id, None, ACTOR)
    async with platform.transaction(scope) as conn:
        job = await repo.claim(conn, org_id, import_id)
        blob = await repo.upload_file(conn, org_id, job.upload_id) if job is not None and job.upload_id else None
    if job is None:
        return None
    if blob is None:
        async with platform.transaction(scope) as conn:
            await repo.finish(conn, job, state="failed", error=_GONE)
        return "failed"
    try:
        return await _run(platform, job, platform.cipher.decrypt_bytes(blob), ImportProgress(platform, scope, job))
    except Exception:
        last = job.attempt >= ATTEMPTS
        async with platform.transaction(scope) as conn:
            if last:
                await repo.finish(conn, job, state="failed", error=_BROKE)
            else:
                await repo.requeue(conn, job)
        if not last:
            raise
        log.exception("archive import %s failed on its last attempt", job.id)
        return "failed"


class _Superseded(Exception):
    """The job was claimed again while this run was thought dead: its end state is not this run's to write."""


async def _run(platform: Platform, job: Claimed, data: bytes, progress: ImportProgress) -> str | None:
    """The end state written, or None when a newer attempt owns the job — then nothing of this run
    commits (its archive rows, audit row and event would double the newer attempt's)."""
    # The wall of the job's one project, as the person who asked: the audit row names them.
    scope = TenantScope(job.org_id, frozenset({job.project_id}), job.created_by)
    try:
        async with tenant_transaction(platform.engine, scope, statement_timeout_ms=STATEMENT_TIMEOUT_MS) as conn:
            try:
                outcome = await run_service(platform, conn, job, scope, data, progress)
            except DomainError as e:  # the import refused as a whole (another import of the project holds its lock)
                outcome = Outcome(state="failed", error=e.message)
            if not await repo.finish(conn, job, state=outcome.state, done=outcome.rows, total=outcome.total,
                                     counts=outcome.counts, problem_count=outcome.problem_count, problems=outcome.problems,
                                     error=outcome.error):
                raise _Superseded  # leaving the block rolls back
    except _Superseded:
        log.warning("archive import %s: attempt %s was superseded; its work rolled back", job.id, job.attempt)
        return None
    return outcome.state


async def run_service(platform: Platform, conn: AsyncConnection, job: Claimed, scope: TenantScope, data: bytes,
                      progress: ImportProgress) -> Outcome:
    """The service in a savepoint of the job's transaction: what it commits (the archive's rows, its
    audit row and event) commits with the job's end state, and a file with problems leaves nothing."""
    uow = UnitOfWork(Joined(conn), org_id=job.org_id, actor=job.created_by, scope=scope)
    if job.kind == "fee_opening":
        result = await import_opening(ImportOpening(job.project_id, data, dry_run=job.dry_run), uow, progress)
    else:
        result = await import_archive(ImportArchive(job.project_id, data, dry_run=job.dry_run), uow, progress,
                                      cipher=platform.cipher)
    return Outcome(state="succeeded" if result.ok else "rejected", rows=result.rows_total, total=result.rows_total,
                   counts=sheet_counts(result.counts), problem_count=result.problem_count,
                   # Report.add has masked them; masked again (idempotent) as the stored copy's own guard.
                   problems=[masked_problem(asdict(p)) for p in result.problems])


def sheet_counts(counts: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    """By sheet key → a list in the workbook's sheet order, each named as its sheet is."""
    return [{"sheet": s.name, **{k: counts[s.key].get(k, 0) for k in ("created", "updated", "unchanged")}}
            for s in (*SHEETS, *FEE_SHEETS) if s.key in counts]
