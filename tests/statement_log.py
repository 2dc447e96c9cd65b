"""Statement log of the test suite: every statement the application role sends is recorded, and
at the end of the session each one that reads or writes a tenant table must name org_id
(tests/statement_check.py says what counts). Statements that do not fail the run, unless listed
in tests/statements_without_org.txt, the ratchet, which may only shrink.

Recorded: SQLAlchemy's before_cursor_execute on every engine that logs in as the application
role (the Platform's, so also those of create_app and the workers), and the statements sent
straight through asyncpg on such connections (the compiled GraphQL reads). Not recorded: the
owner's and the superuser's engines, with which fixtures arrange data, nor migrations.

Under pytest-xdist each worker judges its own statements and hands its verdict to the
controller, which prints them; `FIRSTCALL_STATEMENT_LOG=path` writes the seen statements there
as JSON lines (one file per worker), for counting."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import sys
import json
import os
import threading
import traceback
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tenants.settings import APP_ROLE
from tests.statement_check import fingerprint, judge, normalise, read_ratchet

ROOT = Path(__file__).resolve().parent.parent
RATCHET = Path(__file__).resolve().parent / "statements_without_org.txt"
# Frames that pass a statement on rather than hold it: the origin is the frame that called them.
_SKIP_FRAMES = ("tenants/db.py", "tenants/direct.py", "api/request_db.py", "domain/reads.py", "tests/statement_log.py")
# The caller of a request's read: its statement runs in a task of its own, which inherits this.
_caller: contextvars.ContextVar[Any] = contextvars.ContextVar("statement_log_caller", default=None)


class Recorder:
    def __init__(self) -> None:
        self.seen: dict[str, str] = {}  # normalised text -> where it was first sent from
        self._raw: dict[str, str] = {}  # raw text -> normalised, so a repeat costs one lookup
        self.tenant_tables: set[str] | None = None
        self.quiet = threading.local()  # set on the thread that asks for the schema

    def record(self, sql: str, dsn: str) -> None:
        if getattr(self.quiet, "on", False):
            return
        norm = self._raw.get(sql)
        if norm is None:
            norm = self._raw[sql] = normalise(sql)
        if norm in self.seen and not self.seen[norm].startswith("tests/"):
            return
        origin = _origin()  # a statement the tests also send themselves is put down to the application's file
        if norm not in self.seen or not origin.startswith("tests/"):
            self.seen[norm] = origin
        if self.tenant_tables is None:
            self.tenant_tables = _tenant_tables(dsn)


def _origin() -> str:
    """Where the statement was sent from (`path:line`), which a `file:` line of the ratchet names:
    the innermost application frame on the stack, else the frame that asked the request's read
    for it, else the innermost test frame (a test's own statement, e.g. a probe of the wall).
    SQLAlchemy runs the statement in a greenlet whose stack ends there: the awaiting caller's
    frames are the parent greenlet's. A request's read (RequestDb, also behind every dataloader)
    runs in a task of its own whose stack holds only api/request_db.py and the event loop's runner
    (a test's, for a live server's thread): the frame that asked for it is carried in `_caller`."""
    import greenlet

    stack = list(reversed(traceback.extract_stack(limit=80)))
    parent = greenlet.getcurrent().parent
    if parent is not None and parent.gr_frame is not None:
        stack += reversed(traceback.extract_stack(parent.gr_frame, limit=80))
    caller = list(reversed(traceback.extract_stack(_caller.get(), limit=20))) if _caller.get() is not None else []
    ours, asked = _ours(stack), _ours(caller)
    app = [o for o in ours if not o.startswith("tests/")]
    return (app or asked or ours or ["?"])[0]


def _ours(frames: list[traceback.FrameSummary]) -> list[str]:
    found = []
    for frame in frames:
        if frame.filename.startswith("<"):  # code made by exec (SQLAlchemy's decorators): no file of ours
            continue
        rel = os.path.relpath(frame.filename, ROOT)
        if not (rel.startswith("..") or ".venv" in rel or rel.startswith(_SKIP_FRAMES)):
            found.append(f"{rel}:{frame.lineno}")
    return found


def _tenant_tables(dsn: str) -> set[str]:
    """Relations with an org_id column, from the migrated schema. Asked on a thread of its own:
    the caller may be inside the tests' running event loop."""
    import asyncpg

    async def ask() -> set[str]:
        recorder.quiet.on = True
        conn = await asyncpg.connect(dsn)
        try:
            rows = await conn.fetch(
                "SELECT DISTINCT table_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND column_name = 'org_id'")
            return {r["table_name"] for r in rows}
        finally:
            await conn.close()

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, ask()).result()


recorder = Recorder()


def _sqlalchemy_statement(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                          executemany: bool) -> None:
    url = conn.engine.url
    if url.username == APP_ROLE:
        recorder.record(statement, url.set(drivername="postgresql").render_as_string(hide_password=False))


def _wrap_asyncpg() -> None:
    """Statements sent past SQLAlchemy, on the application role's connections."""
    from asyncpg.connection import Connection

    for name in ("fetch", "fetchrow", "fetchval", "execute", "executemany"):
        original = getattr(Connection, name)
        if getattr(original, "_statement_log", False):
            continue

        def wrapper(self: Connection, query: str, *args: Any, __original: Any = original, **kwargs: Any) -> Any:
            params = self._params
            if params.user == APP_ROLE:
                addr = self._addr
                host = addr if isinstance(addr, str) else addr[0]
                port = "" if isinstance(addr, str) else f":{addr[1]}"
                dsn = f"postgresql://{params.user}:{params.password or ''}@{host}{port}/{params.database}"
                if isinstance(addr, str):  # a Unix socket
                    dsn = f"postgresql://{params.user}:{params.password or ''}@/{params.database}?host={os.path.dirname(addr)}"
                recorder.record(query, dsn)
            return __original(self, query, *args, **kwargs)

        wrapper._statement_log = True  # type: ignore[attr-defined]
        setattr(Connection, name, wrapper)


def _wrap_request_db() -> None:
    """Notes who asked a request's read (a frame: cheap), for _origin."""
    from api.request_db import RequestDb

    for name in ("all", "first", "value", "json_text"):
        original = getattr(RequestDb, name)
        if getattr(original, "_statement_log", False):
            continue

        async def wrapper(self: Any, *args: Any, __original: Any = original, **kwargs: Any) -> Any:
            frame = sys._getframe(1)
            if frame.f_code.co_filename.endswith("request_db.py"):  # first() calls all(): keep its caller
                return await __original(self, *args, **kwargs)
            token = _caller.set(frame)  # the statement's task copies it when it starts
            try:
                return await __original(self, *args, **kwargs)
            finally:
                # Else it outlives the call in the caller's context, and a later statement of the
                # same task that no application frame sent (a test's own) is put down to it.
                _caller.reset(token)

        wrapper._statement_log = True  # type: ignore[attr-defined]
        setattr(RequestDb, name, wrapper)


def pytest_configure(config: pytest.Config) -> None:
    event.listen(Engine, "before_cursor_execute", _sqlalchemy_statement)
    _wrap_asyncpg()
    _wrap_request_db()


def _verdict() -> dict[str, Any] | None:
    if not recorder.seen or recorder.tenant_tables is None:
        return None
    listed = read_ratchet(RATCHET)
    v = judge(recorder.seen, recorder.tenant_tables, listed)  # sql -> where it was sent from
    where = {fingerprint(s): o for s, o in recorder.seen.items()}
    return {
        "seen": v.seen,
        "lacking": len(v.lacking),
        "listed_seen": len(v.lacking) - len(v.unlisted),
        "unlisted": [{"fingerprint": fp, "origin": where.get(fp, "?"), "sql": s} for fp, s in sorted(v.unlisted.items())],
        "stale": v.stale,
    }


def _dump(config: pytest.Config) -> None:
    target = os.environ.get("FIRSTCALL_STATEMENT_LOG")
    if not target:
        return
    worker = getattr(config, "workerinput", {}).get("workerid", "main")
    path = Path(f"{target}.{worker}" if worker != "main" else target)
    with path.open("w", encoding="utf-8") as f:
        f.write(json.dumps({"tenant_tables": sorted(recorder.tenant_tables or ())}) + "\n")
        for s, origin in sorted(recorder.seen.items()):
            f.write(json.dumps({"fingerprint": fingerprint(s), "origin": origin, "sql": s}, ensure_ascii=False) + "\n")


_verdicts: list[dict[str, Any]] = []  # the controller's, from its workers


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    verdict = getattr(node, "workeroutput", {}).get("statement_log")
    if verdict:
        _verdicts.append(verdict)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    _dump(config)
    verdict = _verdict()
    if hasattr(config, "workerinput"):  # an xdist worker: its controller reports
        if verdict:
            config.workeroutput["statement_log"] = verdict  # type: ignore[attr-defined]
        return
    if verdict:
        _verdicts.append(verdict)
    unlisted = {u["fingerprint"]: u for v in _verdicts for u in v["unlisted"]}
    if unlisted and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if not _verdicts:
        return
    tr = terminalreporter
    seen = sum(v["seen"] for v in _verdicts)
    unlisted = {u["fingerprint"]: u for v in _verdicts for u in v["unlisted"]}
    stale = set.intersection(*(set(v["stale"]) for v in _verdicts))
    tr.section("statements without org_id")
    tr.write_line(f"{seen} distinct statements of the application role seen; "
                  f"{sum(v['listed_seen'] for v in _verdicts)} without org_id tolerated by {RATCHET.name} "
                  f"(by fingerprint or file); {len(unlisted)} not listed.")
    for fp, u in sorted(unlisted.items()):
        tr.write_line(f"ERROR {fp} (sent from {u['origin']}): a tenant table read or written without org_id:", red=True)
        tr.write_line(f"    {u['sql'][:2000]}")
    if unlisted:
        tr.write_line(f"Name org_id in each (a predicate, a join on it, an insert column); a statement that truly "
                      f"cannot goes in {RATCHET.name} with its reason.", red=True)
    if stale:
        tr.write_line(f"warning: {len(stale)} entries of {RATCHET.name} were not seen in this run "
                      f"(mended, or not exercised): {' '.join(sorted(stale)[:20])}", yellow=True)
