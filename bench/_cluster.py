"""A PostgreSQL cluster of a benchmark's own: `initdb` into a temporary folder, `pg_ctl` on a free
port, stopped and removed afterwards. The machine's server on 5432 is shared with test suites and
other benchmarks; its 100 `max_connections` are everyone's, and its autovacuum is off. A private
cluster gives the run the connections it is sized for and autovacuum on, as production has;
everything else (fsync, synchronous_commit, shared_buffers …) stays at initdb's defaults, so a
commit costs what it costs in production.

The roles and the schema are made as everywhere else: bench._database.create_database connects as
the cluster's superuser (`postgres`, trust on loopback) and `migrations.runner.upgrade` creates
firstcall_owner, firstcall_app and firstcall_resident, as `firstcall migrate` does on a fresh server."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(cmd: list[str]) -> list[str]:
    """initdb and pg_ctl refuse to run as root: as root, they run as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@contextlib.contextmanager
def private_cluster(max_connections: int, *, keep_log: Path | None = None) -> Iterator[str]:
    """A running cluster for the block: its superuser's URL (database `postgres`). The server's
    log is copied to `keep_log` when the block ends."""
    base = Path(tempfile.mkdtemp(prefix="firstcall-bench-pg-"))
    data, log, port = base / "data", base / "postgres.log", free_port()
    if os.geteuid() == 0:
        os.chown(base, pwd.getpwnam("postgres").pw_uid, -1)

    def ctl(*args: str) -> None:
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "120", *args]),
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    try:
        subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                                     "-E", "UTF8", "--locale=C.UTF-8"]),
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        with (data / "postgresql.conf").open("a") as conf:
            # autovacuum is initdb's default (on); written out so the intent is on record.
            conf.write(f"\nport = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{base}'\n"
                       f"max_connections = {max_connections}\nautovacuum = on\n"
                       "log_autovacuum_min_duration = 0\n")  # the server's log says when autovacuum analysed
        ctl("start")
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            with contextlib.suppress(subprocess.CalledProcessError):
                ctl("-m", "fast", "stop")
            if keep_log is not None and log.exists():
                shutil.copyfile(log, keep_log)
    finally:
        shutil.rmtree(base, ignore_errors=True)
