"""Thin actors: each hands its message to a function that takes the process's platform."""

from __future__ import annotations

from typing import Any

import dramatiq

from workers import runtime
from workers.broker import EVENTS_QUEUE
from workers.handlers import handle_event as _handle_event
from workers.handlers import record_dead_letter as _record_dead_letter


async def handle_event(event: dict[str, Any]) -> None:
    await _handle_event(await runtime.platform(), event)


async def record_dead_letter(message: dict[str, Any], retries: dict[str, Any]) -> None:
    await _record_dead_letter(await runtime.platform(), message, retries)


# name → (function, options). Retries back off exponentially (0.5 s … 5 min, about 1.5 hours in
# all); after the last, the message is dead-lettered and recorded for the company's admins.
ACTORS = {
    "handle_event": (handle_event, {"queue_name": EVENTS_QUEUE, "max_retries": 20, "min_backoff": 500, "max_backoff": 300_000,
                                    "on_retry_exhausted": "record_dead_letter"}),
    "record_dead_letter": (record_dead_letter, {"queue_name": EVENTS_QUEUE, "max_retries": 50}),
}


def declare(broker: dramatiq.Broker) -> dict[str, dramatiq.Actor]:
    return {name: dramatiq.actor(fn, broker=broker, actor_name=name, **opts) for name, (fn, opts) in ACTORS.items()}
