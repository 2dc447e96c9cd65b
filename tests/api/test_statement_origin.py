"""Where the statement log puts a statement down to (tests/statement_log.py), which a `file:` line
of the ratchet matches: the read model that sent it, also from a request's read transaction or a
dataloader batch (tasks of their own), also in a live server's thread, whose stack starts in a
test; a test's own statement to its test file, also right after a read in the same task (the
read's caller must not outlive its call)."""

from __future__ import annotations

import asyncio
import threading
import uuid

from sqlalchemy import text

from api.dataloaders.unit_by_id import unit_by_id
from api.request_db import RequestDb
from domain.archive import reads
from tenants.context import TenantScope
from tenants.platform import Platform
from tests.statement_check import normalise
from tests.statement_log import recorder

HERE = "tests/api/test_statement_origin.py"


def origin(sql: str) -> str:
    return recorder.seen[normalise(sql)].rsplit(":", 1)[0]


async def test_reads_are_put_down_to_their_read_model_and_a_tests_own_statements_to_the_test(platform, org):
    scope = TenantScope(org.org_id, None, "test")
    db = RequestDb(platform, scope)
    recorder.seen.pop(normalise(reads._UNITS_BY_ID.text), None)  # seen afresh, from the batches
    await asyncio.gather(unit_by_id(db, [uuid.uuid4()]), unit_by_id(db, [uuid.uuid4(), uuid.uuid4()]))
    assert origin(reads._UNITS_BY_ID.text) == "domain/archive/reads.py"

    await reads.units_by_id(db, [uuid.uuid4()])  # from this task: its caller goes to the read's task, and no further
    await db.value("SELECT 2 AS statement_origin_direct_probe", {})  # straight through asyncpg
    await db.close()
    async with platform.transaction(scope) as conn:
        await conn.execute(text("SELECT 1 AS statement_origin_probe"))
    assert origin("SELECT 2 AS statement_origin_direct_probe") == HERE
    assert origin("SELECT 1 AS statement_origin_probe") == HERE


def test_a_read_in_a_thread_a_test_started_is_put_down_to_its_read_model(settings, db_urls, org):
    # A live server runs in a thread whose first frame is the test's: it must not win over the read's caller.
    recorder.seen.pop(normalise(reads._UNITS_BY_ID.text), None)  # seen afresh, from the thread

    async def serve() -> None:
        platform = Platform.create(settings, db_urls)
        try:
            db = RequestDb(platform, TenantScope(org.org_id, None, "test"))
            await reads.units_by_id(db, [uuid.uuid4()])
            await db.close()
        finally:
            await platform.close()

    def run() -> None:  # the thread's first frame, as a live server's (tests/fuzz/world.py)
        asyncio.run(serve())

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert origin(reads._UNITS_BY_ID.text) == "domain/archive/reads.py"
