"""The archive's uploads and import jobs in PostgreSQL (docs/archive.md §6.4): a stored workbook,
the job row an import request queues, the worker's claim, progress and end of it, and the purge
of expired uploads. Row-level security walls every statement to the caller's company and projects
(the worker's: the company)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

# A run still "running" after this was killed (the actor's time limit is as long): it may be claimed again.
STALE = "interval '15 minutes'"

_PROJECT = text("SELECT 1 FROM projects WHERE org_id = :o AND id = :p")
_INSERT_UPLOAD = text(
    "INSERT INTO archive_uploads (org_id, project_id, id, created_by, file_name, size, sha256, file_enc, kind) "
    "VALUES (:o, :p, :id, :by, :name, :size, :sha, :enc, :kind) RETURNING expires_at")
_UPLOAD = text("SELECT id, project_id, file_name, sha256, expires_at <= now() AS expired, kind FROM archive_uploads "
               "WHERE org_id = :o AND id = :id")
_UPLOAD_FILE = text("SELECT file_enc FROM archive_uploads WHERE org_id = :o AND id = :id")
# A job waiting this long was never picked up: its message was lost (a broker restarted without
# it), as queued jobs otherwise start within seconds, and one waiting behind a full import of
# another project waits at most its 15 minutes. Counted from when it was queued or last put back.
QUEUED_STALE = "interval '30 minutes'"
# A run killed without a word (a worker's machine gone), or a job whose message was lost, must not
# hold its project for ever. A lost job fails rather than being sent again: the person asking now
# is about to import anew, and a job sent again could apply a workbook, long after it was asked
# for, over what was edited since — they would then have two imports for one intent. A late
# message that does arrive finds the job failed and does nothing (the claim takes queued jobs only).
_RELEASE_STALE = text(
    "UPDATE archive_imports SET state = 'failed', finished_at = now(), "
    "  error = CASE state WHEN 'queued' THEN :lost ELSE :e END "
    "WHERE org_id = :o AND project_id = :p AND ("
    f"  (state = 'running' AND started_at < now() - {STALE}) "
    f"  OR (state = 'queued' AND coalesce(started_at, created_at) < now() - {QUEUED_STALE}))")
# One queued or running import per project: the partial unique index refuses a second one.
_INSERT_IMPORT = text(
    "INSERT INTO archive_imports (org_id, project_id, id, upload_id, file_name, sha256, dry_run, created_by, kind) "
    "VALUES (:o, :p, :id, :u, :name, :sha, :dry, :by, :kind) "
    "ON CONFLICT (org_id, project_id) WHERE state IN ('queued', 'running') DO NOTHING RETURNING id")
_CLAIM = text(
    "UPDATE archive_imports SET state = 'running', started_at = now(), attempts = attempts + 1, rows_done = 0 "
    "WHERE org_id = :o AND id = (SELECT id FROM archive_imports WHERE org_id = :o AND id = :id "
    f"  AND (state = 'queued' OR (state = 'running' AND started_at < now() - {STALE})) FOR UPDATE SKIP LOCKED) "
    "RETURNING id, project_id, upload_id, dry_run, created_by, attempts, sha256, kind")
# The guards on state and attempt keep a run that was given up on from writing over its successor.
_PROGRESS = text("UPDATE archive_imports SET rows_done = :done, rows_total = coalesce(:total, rows_total) "
                 "WHERE org_id = :o AND id = :id AND state = 'running' AND attempts = :a")
_FINISH = text(
    "UPDATE archive_imports SET state = :state, finished_at = now(), rows_done = greatest(rows_done, :done), "
    "rows_total = coalesce(:total, rows_total), counts = CAST(:counts AS jsonb), problem_count = :n, "
    "problems = CAST(:problems AS jsonb), error = :error "
    "WHERE org_id = :o AND id = :id AND state = 'running' AND attempts = :a")
_REQUEUE = text("UPDATE archive_imports SET state = 'queued' WHERE org_id = :o AND id = :id AND state = 'running' AND attempts = :a")
_EXPIRED_QUEUED = text(
    "UPDATE archive_imports i SET state = 'failed', finished_at = now(), error = :e FROM archive_uploads u "
    "WHERE u.org_id = :o AND u.org_id = i.org_id AND u.id = i.upload_id AND i.state = 'queued' AND u.expires_at <= :now")
_DELETE_EXPIRED = text("DELETE FROM archive_uploads WHERE org_id = :o AND expires_at <= :now")


@dataclass(frozen=True)
class Upload:
    id: UUID
    project_id: UUID
    file_name: str
    sha256: str
    expired: bool
    kind: str = "archive"


@dataclass(frozen=True)
class Claimed:
    """A job the worker now runs: its attempt number guards what it writes."""
    org_id: UUID
    id: UUID
    project_id: UUID
    upload_id: UUID | None
    dry_run: bool
    created_by: str
    attempt: int
    sha256: str
    kind: str = "archive"  # archive | fee_opening: which import the worker runs


async def project_exists(conn: AsyncConnection, org_id: UUID, project_id: UUID) -> bool:
    return (await conn.execute(_PROJECT, {"o": org_id, "p": project_id})).first() is not None


async def add_upload(conn: AsyncConnection, *, org_id: UUID, project_id: UUID, upload_id: UUID, by: str, file_name: str,
                     size: int, sha256: str, file_enc: bytes, kind: str = "archive") -> datetime:
    expires: datetime = (await conn.execute(_INSERT_UPLOAD, {
        "o": org_id, "p": project_id, "id": upload_id, "by": by, "name": file_name, "size": size, "sha": sha256,
        "enc": file_enc, "kind": kind})).scalar_one()
    return expires


async def upload(conn: AsyncConnection, org_id: UUID, upload_id: UUID) -> Upload | None:
    row = (await conn.execute(_UPLOAD, {"o": org_id, "id": upload_id})).first()
    return Upload(row.id, row.project_id, row.file_name, row.sha256, row.expired, row.kind) if row else None


async def upload_file(conn: AsyncConnection, org_id: UUID, upload_id: UUID) -> bytes | None:
    """The encrypted workbook, or None once purged."""
    row = (await conn.execute(_UPLOAD_FILE, {"o": org_id, "id": upload_id})).first()
    return bytes(row.file_enc) if row else None


async def release_stale(conn: AsyncConnection, org_id: UUID, project_id: UUID, why: str, lost: str) -> None:
    """The project's dead run (`why`) or lost queued job (`lost`) fails, so a new import may start."""
    await conn.execute(_RELEASE_STALE, {"o": org_id, "p": project_id, "e": why, "lost": lost})


async def add_import(conn: AsyncConnection, *, org_id: UUID, import_id: UUID, upload: Upload, dry_run: bool,
                     by: str) -> bool:
    """False when the project already has an import queued or running."""
    row = (await conn.execute(_INSERT_IMPORT, {"o": org_id, "p": upload.project_id, "id": import_id, "u": upload.id,
                                               "name": upload.file_name, "sha": upload.sha256, "dry": dry_run,
                                               "by": by, "kind": upload.kind})).first()
    return row is not None


async def claim(conn: AsyncConnection, org_id: UUID, import_id: UUID) -> Claimed | None:
    """queued → running; None when it is finished, running elsewhere, or gone."""
    row = (await conn.execute(_CLAIM, {"o": org_id, "id": import_id})).first()
    if row is None:
        return None
    return Claimed(org_id, row.id, row.project_id, row.upload_id, row.dry_run, row.created_by, row.attempts, row.sha256,
                   row.kind)


async def progress(conn: AsyncConnection, job: Claimed, done: int, total: int | None) -> None:
    await conn.execute(_PROGRESS, {"o": job.org_id, "id": job.id, "a": job.attempt, "done": done, "total": total})


async def finish(conn: AsyncConnection, job: Claimed, *, state: str, done: int = 0, total: int | None = None,
                 counts: list[dict[str, Any]] | None = None, problem_count: int = 0, problems: list[dict[str, Any]] | None = None,
                 error: str | None = None) -> bool:
    result = await conn.execute(_FINISH, {
        "o": job.org_id, "id": job.id, "a": job.attempt, "state": state, "done": done, "total": total,
        "counts": json.dumps(counts or [], ensure_ascii=False), "n": problem_count,
        "problems": json.dumps(problems or [], ensure_ascii=False), "error": error})
    return bool(result.rowcount)


async def requeue(conn: AsyncConnection, job: Claimed) -> None:
    await conn.execute(_REQUEUE, {"o": job.org_id, "id": job.id, "a": job.attempt})


async def purge_expired(conn: AsyncConnection, org_id: UUID, now: datetime, why: str) -> int:
    """Inside one company's wall: imports still waiting on an expired upload fail (they could never
    run), then the expired uploads go. Returns how many uploads were deleted."""
    await conn.execute(_EXPIRED_QUEUED, {"o": org_id, "now": now, "e": why})
    return int((await conn.execute(_DELETE_EXPIRED, {"o": org_id, "now": now})).rowcount)
