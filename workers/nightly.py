"""The nightly steps: each runs once per Beijing day, at the first round after midnight (and when
the process starts), over every company through its own `CompanySweep`. A step that fails as a
whole (its finder, the database away) is tried again at the next round; a step's failure in one
company is the sweep's to log and count."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import date

from domain.archive.accuracy import beijing_today
from tenants.platform import Platform
from workers import accuracy_sweep

log = logging.getLogger("firstcall.nightly")
Step = Callable[[Platform, date], Awaitable[int]]
STEPS: tuple[tuple[str, Step], ...] = (
    ("archive-accuracy", accuracy_sweep.sweep),
)


async def run_steps(platform: Platform, day: date, done: dict[str, date]) -> None:
    """The steps not yet done for `day`; each that finishes is marked in `done`."""
    for name, step in STEPS:
        if done.get(name) == day:
            continue
        try:
            n = await step(platform, day)
        except Exception:
            log.exception("nightly step %s failed for %s; retrying at the next round", name, day)
        else:
            done[name] = day
            log.info("nightly step %s for %s: %d", name, day, n)


async def run_nightly(platform: Platform, stop: asyncio.Event, every_seconds: float = 300.0) -> None:
    """Beside the other sweeps in `firstcall scanner` and the single-process server."""
    done: dict[str, date] = {}
    while not stop.is_set():
        await run_steps(platform, beijing_today(), done)
        with contextlib.suppress(TimeoutError):  # the pause ran out: look at the day again
            await asyncio.wait_for(stop.wait(), timeout=every_seconds)
