"""A benchmark's headline, as JSON, for bench/report.py (`make bench` renders them at the top of
docs/benchmarks.md). Each benchmark calls `record` at its end with figures it has already
measured: nothing here measures.

One file per benchmark, `bench/results/headline/<bench>.json` (`BENCH_RESULTS_DIR` moves
`bench/results`): when, which revision, which parameters (and those not at their defaults: a
trial run), the figures, ratios to a peer or a floor, each target with met or missed by how
much, the machine, and the load average when the benchmark started and ended. The headline it
replaces is kept inside it as `previous`, so the report can give the ratio to the last run.
The benchmarks' own detailed JSON (`bench/results/<bench>.json`) is left as it was.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import json
import os
import platform
import subprocess
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def started() -> dict[str, Any]:
    return {"at": datetime.now(UTC).isoformat(timespec="seconds"), "monotonic": time.monotonic(),
            "load_average": [round(x, 2) for x in os.getloadavg()]}


# Taken as a benchmark imports this module, i.e. as its process starts: the load it began under.
# (`make bench` runs each benchmark as a process of its own; a caller in a longer-lived process
# passes `start=started()` taken at its own start.)
STARTED = started()
OPS = {"<=": "≤", "<": "<", ">=": "≥", ">": ">"}


def results_dir() -> Path:
    return Path(os.environ.get("BENCH_RESULTS_DIR", ROOT / "bench" / "results"))


def headline_dir() -> Path:
    return results_dir() / "headline"


@dataclass(frozen=True)
class Figure:
    label: str
    value: float
    unit: str = ""


@dataclass(frozen=True)
class Target:
    """`value op limit`, e.g. p95 < 50 ms; `source` says who asks for it."""
    label: str
    value: float
    op: str
    limit: float
    unit: str = ""
    source: str = "DESIGN §10"

    def met(self) -> bool:
        return {"<=": self.value <= self.limit, "<": self.value < self.limit,
                ">=": self.value >= self.limit, ">": self.value > self.limit}[self.op]

    def as_json(self) -> dict[str, Any]:
        met = self.met()
        by = 0.0 if met else abs(self.value - self.limit)
        return {**asdict(self), "met": met, "by": by, "by_pct": round(by / abs(self.limit) * 100, 1) if self.limit else None}


def machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")),
               platform.processor() or platform.machine())
    meminfo = Path("/proc/meminfo").read_text().splitlines() if Path("/proc/meminfo").exists() else []
    kib = next((int(line.split()[1]) for line in meminfo if line.startswith("MemTotal:")), 0)
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gib": round(kib / 2**20, 1), "kernel": f"{platform.system()} {platform.release()}",
            "postgresql": postgresql_version(), "python": platform.python_version()}


def postgresql_version() -> str | None:
    """The benchmark server's version (BENCH_DATABASE_URL), asked on a thread of its own so a
    caller inside an event loop can ask too; None when it does not answer."""
    import asyncpg

    from bench._database import dsn, server_url

    async def ask() -> str:
        conn = await asyncpg.connect(dsn(server_url()), timeout=5)
        try:
            return str(await conn.fetchval("SHOW server_version"))
        finally:
            await conn.close()

    try:
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            return pool.submit(lambda: asyncio.run(ask())).result(timeout=15)
    except Exception:
        return None


def revision() -> str | None:
    """The checkout's short commit, `+dirty` when tracked files differ from it."""
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("+dirty" if dirty else "")


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def record(bench: str, *, args: argparse.Namespace | dict[str, Any], parser: argparse.ArgumentParser | None = None,
           figures: list[Figure], ratios: dict[str, float] | None = None, targets: list[Target] | None = None,
           start: dict[str, Any] | None = None, directory: Path | None = None) -> Path:
    """Writes `bench`'s headline; `parser` gives the defaults, so a trial run is marked as one."""
    start = start or STARTED
    parameters = _plain(vars(args) if isinstance(args, argparse.Namespace) else args)
    defaults = _plain(vars(parser.parse_args([]))) if parser else parameters
    out_dir = directory or headline_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{bench}.json"
    headline: dict[str, Any] = {
        "bench": bench, "date": datetime.now(UTC).isoformat(timespec="seconds"), "started": start["at"],
        "seconds": round(time.monotonic() - start["monotonic"], 1), "revision": revision(),
        "parameters": parameters, "parameters_changed": {k: v for k, v in parameters.items() if defaults.get(k) != v},
        "figures": [asdict(f) for f in figures], "ratios": ratios or {}, "targets": [t.as_json() for t in targets or []],
        "machine": machine(), "load_average": {"start": start["load_average"], "end": [round(x, 2) for x in os.getloadavg()]},
    }
    if path.exists():
        try:
            before = json.loads(path.read_text())
            headline["previous"] = {k: before.get(k) for k in ("date", "revision", "figures", "parameters_changed")}
        except (ValueError, OSError):  # an unreadable earlier headline: this one is kept without a comparison
            pass
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(headline, indent=2, ensure_ascii=False))
    temporary.replace(path)
    print(f"headline → {path}")
    return path
