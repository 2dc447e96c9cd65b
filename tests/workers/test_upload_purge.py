"""清除上传: uploaded workbooks (full of phone and ID numbers) are deleted once 24 hours old, in
every company, by the sweep runner; an import still waiting on one fails with a reason, an import
that ran keeps its row. Through the real sweep and the application role."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from domain.archive import upload_service
from domain.archive.upload_commands import RequestImport, StoreUpload
from domain.unit_of_work import UnitOfWork
from tenants.context import TenantScope
from tests.archive_books import flats
from workers.upload_purge import sweep


async def _store(platform, org, project: str = "P1"):
    uow = UnitOfWork(platform, org_id=org.org_id, actor=f"user:{org.admin_id}",
                     scope=TenantScope(org.org_id, None, f"user:{org.admin_id}"))
    return await upload_service.store_upload(StoreUpload(project_id=org.projects[project], file_name="档案.xlsx", data=flats()),
                                             uow, cipher=platform.cipher)


async def _queue(platform, org, upload_id):
    uow = UnitOfWork(platform, org_id=org.org_id, actor=f"user:{org.admin_id}",
                     scope=TenantScope(org.org_id, None, f"user:{org.admin_id}"))
    return await upload_service.request_import(RequestImport(upload_id=upload_id), uow)


async def test_expired_uploads_go_in_every_company_and_imports_keep_their_rows(platform, owner_engine, org, other_org):
    old_mine, old_theirs = await _store(platform, org), await _store(platform, other_org)
    waiting = await _queue(platform, org, old_mine.id)  # queued, never run
    ran = await _queue(platform, other_org, old_theirs.id)
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE archive_imports SET state = 'succeeded', finished_at = now() WHERE id = :i"), {"i": ran})
        # Both uploads were sent a day and an hour ago.
        await conn.execute(text("UPDATE archive_uploads SET expires_at = now() - interval '1 hour' WHERE id = ANY(:ids)"),
                           {"ids": [old_mine.id, old_theirs.id]})
    fresh = await _store(platform, org, "P2")

    assert await sweep(platform) >= 2  # the session's other companies may have some too
    async with owner_engine.connect() as conn:
        left = (await conn.execute(text("SELECT id FROM archive_uploads WHERE org_id = ANY(:o)"),
                                   {"o": [org.org_id, other_org.org_id]})).scalars().all()
        jobs = {r.id: r for r in await conn.execute(text("SELECT id, state, upload_id, error, file_name FROM archive_imports "
                                                         "WHERE id = ANY(:ids)"), {"ids": [waiting, ran]})}
    assert left == [fresh.id]
    assert jobs[waiting].state == "failed" and jobs[waiting].error.startswith("上传的文件已过期")
    assert (jobs[ran].state, jobs[ran].upload_id, jobs[ran].file_name) == ("succeeded", None, "档案.xlsx")
    # A day later the fresh one goes too.
    await _expire(owner_engine, fresh.id)
    assert await sweep(platform) >= 1
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM archive_uploads WHERE org_id = :o"),
                                   {"o": org.org_id})).scalar_one() == 0


async def _expire(owner_engine, upload_id) -> None:
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE archive_uploads SET expires_at = now() - interval '1 minute' WHERE id = :i"),
                           {"i": upload_id})


async def _found(platform, now: datetime) -> list:
    async with platform.transaction(None) as conn:
        return list((await conn.execute(text("SELECT orgs_with_expired_uploads(:now)"), {"now": now})).scalars().all())


async def test_the_finder_answers_company_ids_only(platform, owner_engine, org):
    await _expire(owner_engine, (await _store(platform, org)).id)
    async with platform.transaction(None) as conn:
        seen = (await conn.execute(text("SELECT count(*) FROM archive_uploads"))).scalar_one()
    assert org.org_id in await _found(platform, datetime.now(UTC))
    assert seen == 0  # outside every wall, the table itself shows nothing


async def test_the_finder_judges_by_the_clock_whatever_time_it_is_given(platform, owner_engine, org, other_org):
    """Asked as the application role with a far-future or a past time, it lists the company whose
    upload has expired and never the one whose upload has not: the time cannot probe who uploads."""
    await _expire(owner_engine, (await _store(platform, org)).id)
    await _store(platform, other_org)
    for when in (datetime.now(UTC) + timedelta(days=3650), datetime.now(UTC) - timedelta(days=3650), datetime.now(UTC)):
        found = await _found(platform, when)
        assert org.org_id in found and other_org.org_id not in found, when
    # The sweep leaves the fresh upload where it is.
    await sweep(platform)
    async with owner_engine.connect() as conn:
        left = (await conn.execute(text("SELECT org_id FROM archive_uploads WHERE org_id = ANY(:o)"),
                                   {"o": [org.org_id, other_org.org_id]})).scalars().all()
    assert left == [other_org.org_id]
