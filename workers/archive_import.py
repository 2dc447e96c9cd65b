"""导入档案 in the background (docs/archive.md §6.4): the `archive.import_requested` consumer only
hands the job to its own actor on its own queue — a minute-long import must not hold a thread of
the actor that carries every case event. The actor's work is domain/archive/import_run.py."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from domain.archive.import_run import run_import
from tenants.platform import Platform
from workers import runtime

ARCHIVE_QUEUE = "archive"


async def enqueue_import(conn: AsyncConnection, event: dict[str, Any]) -> None:
    """Sent before the consumer's mark commits: a redelivered event sends it again, and the second
    message finds the job claimed or finished."""
    runtime.send("run_archive_import", event["org_id"], event["payload"]["import_id"])


async def run_archive_import(platform: Platform, org_id: str, import_id: str) -> str | None:
    return await run_import(platform, UUID(org_id), UUID(import_id))
