"""Where the statement log puts a statement down to (tests/statement_log.py), which a `file:` line
of the ratchet matches: the read model that sent it, also from a request's read transaction or a
dataloader batch (tasks of their own); a test's own statement to its test file, also right after
a read in the same task (the read's caller must not outlive its call)."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import text

from api.dataloaders.unit_by_id import unit_by_id
from api.request_db import RequestDb
from domain.archive import reads
from tenants.context import TenantScope
from tests.statement_check import normalise
from tests.statement_log import recorder

HERE = "tests/api/test_statement_origin.py"


def origin(sql: str) -> str:
    return recorder.seen[normalise(sql)].rsplit(":", 1)[0]


async def test_reads_are_put_down_to_their_read_model_and_a_tests_own_statements_to_the_test(platform, org):
    scope = TenantScope(org.org_id, None, "test")
    db = RequestDb(platform, scope)
    await reads.units_by_id(db, [uuid.uuid4()])  # from this task: its caller is noted for the read's own task
    await asyncio.gather(unit_by_id(db, [uuid.uuid4()]), unit_by_id(db, [uuid.uuid4(), uuid.uuid4()]))
    await db.value("SELECT 2 AS statement_origin_direct_probe", {})  # straight through asyncpg
    await db.close()
    async with platform.transaction(scope) as conn:
        await conn.execute(text("SELECT 1 AS statement_origin_probe"))

    assert origin(reads._UNITS_BY_ID.text) == "domain/archive/reads.py"
    assert origin("SELECT 2 AS statement_origin_direct_probe") == HERE
    assert origin("SELECT 1 AS statement_origin_probe") == HERE
