"""导入档案 run by the worker (docs/archive.md §6.4), on the real stub broker and worker threads:
the queued import is run by its own actor through the outbox and the consumer; its progress is
written in short transactions of its own; a redelivered message or event does nothing; a run dead
for 15 minutes is claimed again, one still alive is left alone."""

from __future__ import annotations

import asyncio

import pytest
from cryptography.exceptions import InvalidTag
from sqlalchemy import text

from domain.archive import upload_repository as repo
from domain.archive import upload_service
from domain.archive.import_run import run_import
from domain.archive.progress import ImportProgress
from domain.archive.upload_commands import RequestImport, StoreUpload
from domain.unit_of_work import UnitOfWork
from tenants.context import TenantScope
from tests.archive_books import flats, settle
from workers.archive_import import ARCHIVE_QUEUE
from workers.broker import EVENTS_QUEUE
from workers.relay import to_message


def _uow(platform, org) -> UnitOfWork:
    actor = f"user:{org.admin_id}"
    return UnitOfWork(platform, org_id=org.org_id, actor=actor, scope=TenantScope(org.org_id, None, actor),
                      may=lambda permission, project: True)


async def _queue(platform, org, book: bytes, dry_run: bool):
    stored = await upload_service.store_upload(StoreUpload(project_id=org.projects["P1"], file_name="档案.xlsx", data=book),
                                               _uow(platform, org), cipher=platform.cipher)
    return await upload_service.request_import(RequestImport(upload_id=stored.id, dry_run=dry_run), _uow(platform, org))


async def _job(owner_engine, import_id):
    async with owner_engine.connect() as conn:
        return (await conn.execute(text("SELECT * FROM archive_imports WHERE id = :i"), {"i": import_id})).one()


async def _units(owner_engine, org) -> int:
    async with owner_engine.connect() as conn:
        return (await conn.execute(text("SELECT count(*) FROM units WHERE org_id = :o"), {"o": org.org_id})).scalar_one()


async def test_a_queued_import_is_run_by_its_own_actor_and_a_redelivery_does_nothing(platform, owner_engine, org, stub_worker):
    import_id = await _queue(platform, org, flats(n=6), dry_run=False)
    assert (await _job(owner_engine, import_id)).state == "queued"
    await settle(platform, stub_worker)
    job = await _job(owner_engine, import_id)
    assert (job.state, job.attempts, job.problem_count, job.error) == ("succeeded", 1, 0, None)
    assert job.started_at <= job.finished_at
    assert {c["sheet"]: c["created"] for c in job.counts} == {"楼栋": 2, "房屋": 6}
    assert await _units(owner_engine, org) == 6
    async with owner_engine.connect() as conn:
        event = (await conn.execute(text("SELECT * FROM outbox WHERE org_id = :o AND topic = 'archive.import_requested'"),
                                    {"o": org.org_id})).one()
        marks = (await conn.execute(text("SELECT consumer FROM processed_events WHERE event_id = :e"), {"e": event.id})).scalars().all()
        audit = (await conn.execute(text("SELECT count(*) FROM audit_log WHERE org_id = :o"), {"o": org.org_id})).scalar_one()
    assert marks == ["archive_import"]

    # The broker brings the event and the job's message again: the mark and the finished row hold.
    stub_worker.enqueue(to_message(event))
    stub_worker.get_actor("run_archive_import").send(str(org.org_id), str(import_id))
    await asyncio.to_thread(stub_worker.join, EVENTS_QUEUE, timeout=30_000, fail_fast=True)
    await asyncio.to_thread(stub_worker.join, ARCHIVE_QUEUE, timeout=30_000, fail_fast=True)
    again = await _job(owner_engine, import_id)
    assert (again.state, again.attempts, again.finished_at) == ("succeeded", 1, job.finished_at)
    assert await _units(owner_engine, org) == 6
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM audit_log WHERE org_id = :o"), {"o": org.org_id})).scalar_one() == audit


async def test_a_dry_run_writes_nothing_but_its_report(platform, owner_engine, org, stub_worker):
    import_id = await _queue(platform, org, flats(n=3), dry_run=True)
    await settle(platform, stub_worker)
    job = await _job(owner_engine, import_id)
    assert job.state == "succeeded" and {c["sheet"]: c["created"] for c in job.counts} == {"楼栋": 2, "房屋": 3}
    assert await _units(owner_engine, org) == 0


async def test_progress_is_written_in_a_transaction_of_its_own(platform, owner_engine, org):
    import_id = await _queue(platform, org, flats(), dry_run=False)
    scope = TenantScope(org.org_id, None, "system:test")
    async with platform.transaction(scope) as conn:
        job = await repo.claim(conn, org.org_id, import_id)
    progress = ImportProgress(platform, scope, job)
    # The import's own transaction stays open, holding its writes, while progress is reported.
    async with platform.transaction(TenantScope(org.org_id, frozenset({org.projects["P1"]}), "system:test")) as held:
        await held.execute(text("INSERT INTO buildings (org_id, project_id, name) VALUES (:o, :p, '临时楼')"),
                           {"o": org.org_id, "p": org.projects["P1"]})
        await progress(1_000, 12_000)  # the total is news: written
        await progress(4_999, 12_000)  # under 5,000 rows since: not
        seen_early = await _job(owner_engine, import_id)
        await progress(6_000, 12_000)
        seen = await _job(owner_engine, import_id)
    assert (seen_early.rows_done, seen_early.rows_total) == (1_000, 12_000)
    assert (seen.rows_done, seen.rows_total, seen.state) == (6_000, 12_000, "running")
    assert progress.writes == 2


async def test_a_run_dead_for_15_minutes_is_claimed_again_and_a_live_one_left_alone(platform, owner_engine, org, stub_worker):
    import_id = await _queue(platform, org, flats(n=2), dry_run=False)
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE archive_imports SET state = 'running', attempts = 1, started_at = now() - interval '1 minute' "
                                "WHERE id = :i"), {"i": import_id})
    stub_worker.get_actor("run_archive_import").send(str(org.org_id), str(import_id))
    await asyncio.to_thread(stub_worker.join, ARCHIVE_QUEUE, timeout=30_000, fail_fast=True)
    assert ((await _job(owner_engine, import_id)).state, await _units(owner_engine, org)) == ("running", 0)

    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE archive_imports SET started_at = now() - interval '16 minutes' WHERE id = :i"), {"i": import_id})
    stub_worker.get_actor("run_archive_import").send(str(org.org_id), str(import_id))
    await asyncio.to_thread(stub_worker.join, ARCHIVE_QUEUE, timeout=60_000, fail_fast=True)
    job = await _job(owner_engine, import_id)
    assert (job.state, job.attempts) == ("succeeded", 2)
    assert await _units(owner_engine, org) == 2


async def test_an_upload_purged_before_the_run_fails_the_import_with_a_reason(platform, owner_engine, org, stub_worker):
    import_id = await _queue(platform, org, flats(), dry_run=True)
    async with owner_engine.begin() as conn:
        await conn.execute(text("DELETE FROM archive_uploads WHERE org_id = :o"), {"o": org.org_id})
    await settle(platform, stub_worker)
    job = await _job(owner_engine, import_id)
    assert job.state == "failed" and job.error.startswith("上传的文件已被清除")


async def test_a_run_that_breaks_goes_back_to_the_queue_and_fails_after_its_last_attempt(platform, owner_engine, org):
    import_id = await _queue(platform, org, flats(), dry_run=False)
    async with owner_engine.begin() as conn:  # a stored file that no longer decrypts: the run breaks every time
        await conn.execute(text("UPDATE archive_uploads SET file_enc = '\\x000102030405060708090a0b0c0d0e0f' WHERE org_id = :o"),
                           {"o": org.org_id})
    for attempt in (1, 2, 3):
        with pytest.raises(InvalidTag):
            await run_import(platform, org.org_id, import_id)
        job = await _job(owner_engine, import_id)
        assert (job.state, job.attempts) == ("queued", attempt)  # the actor's retry finds it to claim
    assert await run_import(platform, org.org_id, import_id) == "failed"
    job = await _job(owner_engine, import_id)
    assert (job.state, job.attempts) == ("failed", 4) and job.error.startswith("导入出错")
    assert await run_import(platform, org.org_id, import_id) is None  # and it stays so


async def test_progress_rows_of_a_long_import(platform, owner_engine, org, stub_worker):
    """Every progress write the worker makes, as the database saw it (a trigger of this test's)."""
    async with owner_engine.begin() as conn:
        await conn.execute(text("CREATE TABLE test_progress_seen (import_id uuid, rows_done int, rows_total int, state text, "
                                "at timestamptz DEFAULT clock_timestamp())"))
        await conn.execute(text(
            "CREATE FUNCTION test_progress_log() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN "
            "INSERT INTO test_progress_seen (import_id, rows_done, rows_total, state) "
            "VALUES (NEW.id, NEW.rows_done, NEW.rows_total, NEW.state); RETURN NEW; END $$"))
        await conn.execute(text("CREATE TRIGGER test_progress AFTER UPDATE ON archive_imports FOR EACH ROW "
                                "EXECUTE FUNCTION test_progress_log()"))
    try:
        import_id = await _queue(platform, org, flats(n=12_000), dry_run=True)
        await settle(platform, stub_worker)
        async with owner_engine.connect() as conn:
            seen = (await conn.execute(text("SELECT rows_done, rows_total, state FROM test_progress_seen WHERE import_id = :i "
                                            "ORDER BY at"), {"i": import_id})).all()
    finally:
        async with owner_engine.begin() as conn:
            await conn.execute(text("DROP TRIGGER test_progress ON archive_imports"))
            await conn.execute(text("DROP FUNCTION test_progress_log()"))
            await conn.execute(text("DROP TABLE test_progress_seen"))
    rows = 12_000 + 2  # the flats and the two buildings
    assert seen[0] == (0, None, "running")  # claimed
    # The total as soon as it is known (after the 楼栋 sheet's two rows), then one write per 5,000 rows.
    assert [(d, s) for d, _, s in seen[1:-1]] == [(2, "running"), (5_002, "running"), (10_002, "running")]
    assert all(t is not None and t >= d for d, t, _ in seen[1:-1])
    assert seen[-1] == (rows, rows, "succeeded")  # the end, with the data
