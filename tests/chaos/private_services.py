"""Private PostgreSQL and RabbitMQ instances for the storm chaos test (test_storm.py), which
restarts them: the machine's shared services on 5432 and 5672 are never touched. Each lives in a
temporary folder, on a free port, and is stopped and removed when the test ends."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PG_BIN = Path("/usr/local/bin")
RABBITMQ_SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"nothing listens on {port} after {timeout:.0f} s") from None
            time.sleep(0.2)


def _as_postgres(cmd: list[str]) -> list[str]:
    """initdb and pg_ctl refuse to run as root: as root, they run as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class PrivatePostgres:
    """A cluster of its own (`initdb` into a temporary folder, `pg_ctl` on a free port). fsync is
    off: the test kills processes, never the machine, so the page cache outlives every restart."""

    def __init__(self) -> None:
        # Its own folder under /tmp: pytest's are private to their user, and the server runs as postgres.
        self.base = Path(tempfile.mkdtemp(prefix="firstcall-storm-pg-"))
        self.data, self.port, self.log = self.base / "data", free_port(), self.base / "postgres.log"

    def init(self) -> None:
        if os.geteuid() == 0:
            os.chown(self.base, _uid("postgres"), -1)
        subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                                     "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]),
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.base}'\n"
                       "fsync = off\nmax_connections = 200\nshared_buffers = 64MB\n")

    def _ctl(self, *args: str) -> None:
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "120",
                                     *args]), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self) -> None:
        self._ctl("start")

    def restart(self, mode: str) -> None:
        """`fast` ends every session and checkpoints; `immediate` is a crash: recovery replays the WAL."""
        self._ctl("-m", mode, "restart")

    def stop(self, keep_log: Path | None = None) -> None:
        try:
            self._ctl("-m", "immediate", "stop")
        except subprocess.CalledProcessError:
            pass
        if keep_log is not None and self.log.exists():
            shutil.copyfile(self.log, keep_log)
        shutil.rmtree(self.base, ignore_errors=True)

    def url(self, user: str = "postgres", password: str | None = None) -> str:
        auth = f"{user}:{password}" if password else user
        return f"postgresql+asyncpg://{auth}@127.0.0.1:{self.port}/postgres"


def _uid(name: str) -> int:
    import pwd

    return pwd.getpwnam(name).pw_uid


class PrivateRabbit:
    """A RabbitMQ node of its own name, ports, database and (empty) plugin list, so it neither
    clashes with the machine's node nor opens a management port. Killed with SIGKILL and started
    again on the same database: durable queues and persistent messages come back."""

    def __init__(self, base: Path) -> None:
        self.base, self.port, self.proc = base, free_port(), None
        base.mkdir(parents=True, exist_ok=True)
        (base / "rabbitmq.conf").write_text(f"listeners.tcp.1 = 127.0.0.1:{self.port}\nloopback_users = none\n")
        (base / "enabled_plugins").write_text("[].\n")
        (base / "rabbitmq-env.conf").write_text("")
        self.env = {**os.environ, "RABBITMQ_NODENAME": f"fcstorm{os.getpid()}@localhost",
                    "RABBITMQ_DIST_PORT": str(free_port()), "RABBITMQ_MNESIA_BASE": str(base / "mnesia"),
                    "RABBITMQ_LOG_BASE": str(base / "log"), "RABBITMQ_CONFIG_FILE": str(base / "rabbitmq.conf"),
                    "RABBITMQ_ENABLED_PLUGINS_FILE": str(base / "enabled_plugins"),
                    "RABBITMQ_CONF_ENV_FILE": str(base / "rabbitmq-env.conf"), "ERL_EPMD_ADDRESS": "127.0.0.1"}

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/"

    def launch(self) -> None:
        with (self.base / "server.log").open("ab") as out:
            self.proc = subprocess.Popen([RABBITMQ_SERVER], env=self.env, stdout=out, stderr=out, start_new_session=True)

    def wait(self, timeout: float = 120) -> None:
        wait_for_port(self.port, timeout)

    def kill(self) -> None:
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()
            self.proc = None
