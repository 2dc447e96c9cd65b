"""导入档案 run by the worker (docs/archive.md §6.4), on the real stub broker and worker threads:
the queued import is run by its own actor through the outbox and the consumer; its progress is
written in short transactions of its own; a redelivered message or event does nothing; a run dead
for 15 minutes is claimed again, one still alive is left alone."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from domain.archive import upload_repository as repo
from domain.archive import upload_service
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
