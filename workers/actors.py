"""Thin actors: each hands its message to a function that takes the process's platform."""

from __future__ import annotations

from typing import Any

import dramatiq

from workers import runtime
from workers.broker import EVENTS_QUEUE
from workers.handlers import handle_event as _handle_event


async def handle_event(event: dict[str, Any]) -> None:
    await _handle_event(await runtime.platform(), event)


# name → (function, options). Retries back off exponentially; after the last the message is
# dead-lettered, and its outbox row stays as the record of it.
ACTORS = {
    "handle_event": (handle_event, {"queue_name": EVENTS_QUEUE, "max_retries": 20, "min_backoff": 500, "max_backoff": 300_000}),
}


def declare(broker: dramatiq.Broker) -> dict[str, dramatiq.Actor]:
    return {name: dramatiq.actor(fn, broker=broker, actor_name=name, **opts) for name, (fn, opts) in ACTORS.items()}
