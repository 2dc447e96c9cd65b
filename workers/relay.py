"""The outbox relay: publishes committed events to the broker. Rows are claimed with
FOR UPDATE SKIP LOCKED inside a transaction, so several relays share the work and a relay that
dies mid-batch releases its rows; a batch published but not marked is published again, which
the idempotent consumers absorb."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from typing import Any

import asyncpg
import dramatiq
from sqlalchemy import text

from tenants.db import DatabaseUrls
from tenants.platform import Platform
from tenants.telemetry import meter
from workers.broker import EVENTS_QUEUE

log = logging.getLogger("firstcall.relay")
published = meter.create_counter("firstcall.outbox.published", description="outbox rows published")
lag = meter.create_histogram("firstcall.outbox.lag", unit="ms", description="commit to publish")

# `committed_by`, read after the claim saw the row, is a time its transaction had committed by: a
# consumer may skip work that a later-begun transaction already did (domain/kpi/rollups.py).
_CLAIM = text("SELECT o.*, clock_timestamp() AS committed_by FROM outbox_claim(:n) o")
_MARK = text("SELECT outbox_mark_published(CAST(:orgs AS uuid[]), CAST(:ids AS uuid[]))")


def to_message(row: Any) -> dramatiq.Message:
    event = {
        "id": str(row.id),
        "org_id": str(row.org_id),
        "project_id": str(row.project_id) if row.project_id else None,
        "topic": row.topic,
        "payload": row.payload,
        "trace_context": row.trace_context,
        "created_at": row.created_at.isoformat(),
    }
    if getattr(row, "committed_by", None) is not None:
        event["committed_by"] = row.committed_by.isoformat()
    return dramatiq.Message(
        queue_name=EVENTS_QUEUE, actor_name="handle_event", args=(event,), kwargs={},
        options={"trace_context": row.trace_context}, message_id=str(row.id),
    )


def _enqueue_all(broker: dramatiq.Broker, messages: list[dramatiq.Message]) -> None:
    for message in messages:
        broker.enqueue(message)


async def relay_batch(platform: Platform, broker: dramatiq.Broker, limit: int = 200) -> int:
    """Publishes up to `limit` events; returns how many."""
    async with platform.transaction(None) as conn:
        rows = (await conn.execute(_CLAIM, {"n": limit})).all()
        if not rows:
            return 0
        await asyncio.to_thread(_enqueue_all, broker, [to_message(r) for r in rows])
        await conn.execute(_MARK, {"orgs": [r.org_id for r in rows], "ids": [r.id for r in rows]})
    now = time.time()
    for r in rows:
        lag.record((now - r.created_at.timestamp()) * 1000)
    published.add(len(rows))
    return len(rows)


async def relay_all(platform: Platform, broker: dramatiq.Broker, stop: asyncio.Event | None = None) -> int:
    """Publishes batches until the outbox is empty (or `stop` is set); returns how many."""
    total = 0
    while not (stop and stop.is_set()):
        n = await relay_batch(platform, broker)
        if not n:
            break
        total += n
    return total


async def run_relay(
    platform: Platform, broker: dramatiq.Broker, urls: DatabaseUrls, *, poll_seconds: float = 1.0,
    stop: asyncio.Event | None = None,
) -> None:
    """Relays until `stop` is set: woken by NOTIFY from the outbox trigger, polling as a fallback."""
    stop = stop or asyncio.Event()
    wake = asyncio.Event()
    listener = await _listen(urls, wake)
    try:
        while not stop.is_set():
            try:
                await relay_all(platform, broker, stop)
            except Exception:
                log.exception("relay batch failed; retrying")
                await asyncio.sleep(poll_seconds)
            wake.clear()
            waiters = [asyncio.ensure_future(wake.wait()), asyncio.ensure_future(stop.wait())]
            await asyncio.wait(waiters, timeout=poll_seconds, return_when=asyncio.FIRST_COMPLETED)
            for w in waiters:
                w.cancel()
    finally:
        if listener is not None:
            await listener.close()


async def _listen(urls: DatabaseUrls, wake: asyncio.Event) -> asyncpg.Connection | None:
    try:
        dsn = urls.app.set(drivername="postgresql").render_as_string(hide_password=False)
        conn = await asyncpg.connect(dsn)
        await conn.add_listener("firstcall_outbox", lambda *_: wake.set())
        return conn
    except Exception:
        log.warning("LISTEN unavailable; relaying by polling only", exc_info=True)
        return None


def install_stop_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # no signal handlers on this loop
            loop.add_signal_handler(sig, stop.set)
