"""The SLA scanner: fires due timers (DESIGN §4) — the cases' and, beside them, those of the
things that are not cases (docs/centre-day.md §1: corrective actions, later patrols, hazards,
sweeps). Each round claims a batch with FOR UPDATE SKIP LOCKED inside `sla_fire_due` (and
`item_fire_due`), which also records the escalations and their outbox events in the same
transaction — so several scanners share the work, and a scanner killed mid-batch leaves its
timers due for the next, never fired twice. It sleeps until the next timer falls due, but never
longer than `poll_seconds`, which bounds how late a timer made meanwhile can fire."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from sqlalchemy import text

from tenants.platform import Platform
from tenants.telemetry import meter

log = logging.getLogger("firstcall.sla")
fired_counter = meter.create_counter("firstcall.sla.fired", description="SLA timers fired")
BATCH = 500


async def fire_due(platform: Platform, batch: int = BATCH) -> int:
    async with platform.transaction(None) as conn:
        return (await conn.execute(text("SELECT sla_fire_due(:n)"), {"n": batch})).scalar_one()


async def fire_items_due(platform: Platform, batch: int = BATCH) -> int:
    async with platform.transaction(None) as conn:
        return (await conn.execute(text("SELECT item_fire_due(:n)"), {"n": batch})).scalar_one()


async def next_due_in(platform: Platform) -> float | None:
    async with platform.transaction(None) as conn:
        due = (await conn.execute(text("SELECT least(sla_next_due(), item_next_due())"))).scalar_one()
    return None if due is None else (due - datetime.now(UTC)).total_seconds()


async def run_sla_scanner(platform: Platform, stop: asyncio.Event, poll_seconds: float = 0.5) -> None:
    while not stop.is_set():
        wait = poll_seconds
        try:
            for fire in (fire_due, fire_items_due):
                while (fired := await fire(platform)) > 0:
                    fired_counter.add(fired)
                    if fired < BATCH:
                        break
            due_in = await next_due_in(platform)
            if due_in is not None:
                wait = min(poll_seconds, max(due_in, 0.01))
        except Exception:
            log.exception("SLA scan failed; retrying")
        try:
            await asyncio.wait_for(stop.wait(), timeout=wait)
        except TimeoutError:
            pass
