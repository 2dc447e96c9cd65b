"""Thin actors: each hands its message to a function that takes the process's platform."""

from __future__ import annotations

from typing import Any

import dramatiq

from workers import runtime
from workers.archive_import import ARCHIVE_QUEUE
from workers.archive_import import run_archive_import as _run_archive_import
from workers.broker import EVENTS_QUEUE
from workers.handlers import handle_event as _handle_event
from workers.handlers import record_dead_letter as _record_dead_letter


async def handle_event(event: dict[str, Any]) -> None:
    await _handle_event(await runtime.platform(), event)


async def record_dead_letter(message: dict[str, Any], retries: dict[str, Any]) -> None:
    await _record_dead_letter(await runtime.platform(), message, retries)


async def run_archive_import(org_id: str, import_id: str) -> None:
    await _run_archive_import(await runtime.platform(), org_id, import_id)


# name → (function, options). Retries back off exponentially (0.5 s … 5 min, about 1.5 hours in
# all); after the last, the message is dead-lettered and recorded for the company's admins.
ACTORS = {
    "handle_event": (handle_event, {"queue_name": EVENTS_QUEUE, "max_retries": 20, "min_backoff": 500, "max_backoff": 300_000,
                                    "on_retry_exhausted": "record_dead_letter"}),
    "record_dead_letter": (record_dead_letter, {"queue_name": EVENTS_QUEUE, "max_retries": 50}),
    # One import at a time per thread, on its own queue; the job row (not the message) says whether
    # it still has to run, so a retry after the third is not dead-lettered but marked failed.
    "run_archive_import": (run_archive_import, {"queue_name": ARCHIVE_QUEUE, "max_retries": 3, "min_backoff": 5_000,
                                                "max_backoff": 60_000, "time_limit": 15 * 60 * 1000}),
}


def declare(broker: dramatiq.Broker) -> dict[str, dramatiq.Actor]:
    declared = {name: dramatiq.actor(fn, broker=broker, actor_name=name, **opts) for name, (fn, opts) in ACTORS.items()}
    runtime.use_actors(declared)
    return declared
