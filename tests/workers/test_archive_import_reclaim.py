"""A run given up on (dead for 15 minutes, its job claimed again) that comes back to life must not
commit: the archive's rows, its audit row and event go with the job's end state, and the end state
belongs to the newer attempt (docs/archive.md §6.4)."""

from __future__ import annotations

from sqlalchemy import text

from domain.archive import import_run
from domain.archive import upload_repository as repo
from domain.archive.progress import ImportProgress
from tenants.context import TenantScope
from tests.archive_books import flats
from tests.workers.test_archive_import_worker import _job, _queue, _units


async def test_a_superseded_run_writes_nothing(platform, owner_engine, org):
    book = flats(n=3)
    import_id = await _queue(platform, org, book, dry_run=False)
    scope = TenantScope(org.org_id, None, import_run.ACTOR)
    async with platform.transaction(scope) as conn:
        first = await repo.claim(conn, org.org_id, import_id)
    async with owner_engine.begin() as conn:  # the first run looks dead …
        await conn.execute(text("UPDATE archive_imports SET started_at = now() - interval '16 minutes' WHERE id = :i"),
                           {"i": import_id})
    async with platform.transaction(scope) as conn:  # … and a retry claims the job again
        second = await repo.claim(conn, org.org_id, import_id)
    assert (first.attempt, second.attempt) == (1, 2)

    # The first run was only slow: it finishes now, after its job passed to the second.
    state = await import_run._run(platform, first, book, ImportProgress(platform, scope, first))
    assert state is None
    job = await _job(owner_engine, import_id)
    assert (job.state, job.attempts) == ("running", 2)
    assert await _units(owner_engine, org) == 0  # nothing of the first run's committed
    async with owner_engine.connect() as conn:
        imported = (await conn.execute(text("SELECT count(*) FROM audit_log WHERE org_id = :o AND action = 'archive.imported'"),
                                       {"o": org.org_id})).scalar_one()
        events = (await conn.execute(text("SELECT count(*) FROM outbox WHERE org_id = :o AND topic = 'archive.imported'"),
                                     {"o": org.org_id})).scalar_one()
    assert (imported, events) == (0, 0)


async def test_a_run_that_failed_for_good_leaves_the_project_free(platform, owner_engine, org):
    import pytest
    from cryptography.exceptions import InvalidTag

    from domain.archive.import_run import ATTEMPTS, run_import

    import_id = await _queue(platform, org, flats(), dry_run=False)
    async with owner_engine.begin() as conn:  # a stored file that no longer decrypts: every attempt breaks
        await conn.execute(text("UPDATE archive_uploads SET file_enc = '\\x000102030405060708090a0b0c0d0e0f' WHERE org_id = :o"),
                           {"o": org.org_id})
    for _ in range(ATTEMPTS - 1):
        with pytest.raises(InvalidTag):
            await run_import(platform, org.org_id, import_id)
    assert await run_import(platform, org.org_id, import_id) == "failed"
    again = await _queue(platform, org, flats(), dry_run=True)  # not CONFLICT: the failed run holds nothing
    assert (await _job(owner_engine, again)).state == "queued"
