"""The load and soak benchmark (bench/load_soak.py, `make bench-load`) at a small size: 20 clients
for 10 s against `firstcall serve --processes 2`, `firstcall worker` and `firstcall scanner` on
RabbitMQ, then a 30 s soak with the processes' memory sampled every 10 s. Every request answers
without an error, and every case a registerCase acknowledged is in the database. Memory is
reported, not judged, at this size (the full soak is for that)."""

from __future__ import annotations

import json
import socket
import uuid

import asyncpg
import pytest

from bench._database import dsn, server_url
from bench.load_soak import run


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# Two API processes, a worker and a scanner under 20 clients: CPU enough to starve tests beside it,
# so make test runs it in its serial phase.
@pytest.mark.slow
@pytest.mark.serial
async def test_twenty_clients_then_a_short_soak_answer_without_errors_and_keep_every_acknowledged_case() -> None:
    database = f"fc_test_load_{uuid.uuid4().hex[:8]}"
    try:
        result = await run(clients=20, seconds=10, soak_clients=6, soak_seconds=30, soak_pause=0.5, projects=20, cases=400,
                           database=database, vhost="firstcall_load_test", port=_free_port(), log=lambda *_, **__: None)
    finally:
        admin = await asyncpg.connect(dsn(server_url()))
        try:
            await admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        finally:
            await admin.close()
    for phase in ("load", "soak"):
        assert result[phase]["errors"] == 0, json.dumps(result[phase]["error_detail"], ensure_ascii=False, indent=1)
        assert result[phase]["requests"] > 0
    done = result["load"]["operations"]
    for op in ("cases list", "caseCounts", "orgOverview", "registerCase (API key)", "inbound call (signed)", "myQueue"):
        assert done.get(op, {}).get("n", 0) > 0, f"no {op} in the load: {sorted(done)}"
    assert result["registrations_acknowledged"] > 0
    assert result["registrations_missing"] == 0
    memory = result["soak"]["memory"]
    assert {"api-1", "api-2", "worker", "scanner"} <= set(memory)
    assert all(m["samples"] >= 3 for m in memory.values())


def test_the_memory_trend_is_the_least_squares_slope_per_minute() -> None:
    from bench.load_soak import Sampler

    sampler = Sampler.__new__(Sampler)
    sampler.procs = {"api-1": None}
    sampler.samples = [{"t": 0.0, "api-1": 100.0}, {"t": 60.0, "api-1": 102.0}, {"t": 120.0, "api-1": 104.0}]
    report = sampler.report()["api-1"]
    assert report == {"first_mb": 100.0, "last_mb": 104.0, "max_mb": 104.0, "samples": 3, "trend_mb_per_min": 2.0}
