"""The request's read transaction against the real database: a failed statement, a cancelled
reader and the end of the request each leave the other readers' answers intact."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from api.request_db import RequestClosed, RequestDb

SLOW = text("SELECT pg_sleep(0.3)::text || 'slept' AS v")
VALUE = text("SELECT :v AS v")


async def test_a_failed_statement_leaves_later_statements_working(platform):
    db = RequestDb(platform, None)
    with pytest.raises(Exception, match="division by zero"):
        await db.first(text("SELECT 1 / 0"))
    assert (await db.first(VALUE, {"v": "after"})).v == "after"
    await db.close()


async def test_a_cancelled_reader_does_not_abort_the_transaction_others_read_in(platform):
    db = RequestDb(platform, None)
    reader = asyncio.create_task(db.first(SLOW))
    await asyncio.sleep(0.1)  # its statement is running
    reader.cancel()
    with pytest.raises(asyncio.CancelledError):
        await reader
    assert (await db.first(VALUE, {"v": "sibling"})).v == "sibling"
    assert db.statements == 2
    await db.close()


async def test_close_waits_for_running_statements_and_refuses_new_ones(platform):
    db = RequestDb(platform, None)
    reader = asyncio.create_task(db.first(SLOW))
    await asyncio.sleep(0.1)
    await db.close()
    assert reader.done() and (await reader).v == "slept"
    with pytest.raises(RequestClosed):
        await db.first(VALUE, {"v": "too late"})
    await db.close()  # closing twice changes nothing
