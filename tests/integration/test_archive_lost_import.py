"""An import whose message was lost (docs/archive.md §6.4): queued for more than 30 minutes and never
picked up, it no longer holds its project — the next importArchive fails it with a reason and
queues the new one; a late message then finds it failed and does nothing. Only the asking
project's job is released: another project's or another company's waits on. Through the service
and the worker's run, as the application role."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from domain.archive import upload_service
from domain.archive.import_run import run_import
from domain.archive.upload_commands import RequestImport, StoreUpload
from domain.errors import DomainError, ErrorCode, ErrorReason
from domain.unit_of_work import UnitOfWork
from tenants.context import TenantScope
from tests.archive_books import flats


def _uow(platform, org) -> UnitOfWork:
    actor = f"user:{org.admin_id}"
    return UnitOfWork(platform, org_id=org.org_id, actor=actor, scope=TenantScope(org.org_id, None, actor))


async def _queued(platform, org, project: str = "P1"):
    u = await upload_service.store_upload(StoreUpload(project_id=org.projects[project], file_name="档案.xlsx", data=flats()),
                                          _uow(platform, org), cipher=platform.cipher)
    return u.id, await upload_service.request_import(RequestImport(upload_id=u.id), _uow(platform, org))


async def _age(owner_engine, import_id, minutes: int, *, started: bool = False) -> None:
    column = "started_at" if started else "created_at"
    async with owner_engine.begin() as conn:
        await conn.execute(text(f"UPDATE archive_imports SET {column} = now() - make_interval(mins => :m) WHERE id = :i"),
                           {"m": minutes, "i": import_id})


async def _jobs(owner_engine, *ids) -> dict:
    async with owner_engine.connect() as conn:
        rows = await conn.execute(text("SELECT id, state, error, finished_at FROM archive_imports WHERE id = ANY(:ids)"),
                                  {"ids": list(ids)})
        return {r.id: r for r in rows}


async def test_a_job_queued_30_minutes_unclaimed_fails_with_a_reason_and_frees_its_project(platform, owner_engine, org):
    upload_id, lost = await _queued(platform, org)
    await _age(owner_engine, lost, 31)

    fresh = await upload_service.request_import(RequestImport(upload_id=upload_id, dry_run=False), _uow(platform, org))

    jobs = await _jobs(owner_engine, lost, fresh)
    assert (jobs[lost].state, jobs[fresh].state) == ("failed", "queued")
    assert jobs[lost].error.startswith("导入排队超过 30 分钟仍未开始") and jobs[lost].finished_at is not None
    # The lost message turns up after all: the job is over, nothing runs, the new one still waits.
    assert await run_import(platform, org.org_id, lost) is None
    jobs = await _jobs(owner_engine, lost, fresh)
    assert (jobs[lost].state, jobs[fresh].state) == ("failed", "queued")


async def test_a_job_waiting_less_long_or_just_put_back_still_holds_its_project(platform, owner_engine, org):
    upload_id, waiting = await _queued(platform, org)
    await _age(owner_engine, waiting, 29)
    with pytest.raises(DomainError) as refused:
        await upload_service.request_import(RequestImport(upload_id=upload_id), _uow(platform, org))
    assert (refused.value.code, refused.value.reason) == (ErrorCode.CONFLICT, ErrorReason.IMPORT_RUNNING)

    # Queued long ago, but its last attempt started a minute ago and was put back for a retry.
    await _age(owner_engine, waiting, 120)
    await _age(owner_engine, waiting, 1, started=True)
    with pytest.raises(DomainError):
        await upload_service.request_import(RequestImport(upload_id=upload_id), _uow(platform, org))
    assert (await _jobs(owner_engine, waiting))[waiting].state == "queued"


async def test_only_the_asking_projects_job_is_released_never_another_companys(platform, owner_engine, org, other_org):
    _, theirs = await _queued(platform, other_org)
    _, other_project = await _queued(platform, org, "P2")
    mine_upload, mine = await _queued(platform, org)
    for job in (theirs, other_project, mine):
        await _age(owner_engine, job, 45)

    await upload_service.request_import(RequestImport(upload_id=mine_upload), _uow(platform, org))

    jobs = await _jobs(owner_engine, theirs, other_project, mine)
    assert jobs[mine].state == "failed"
    assert (jobs[theirs].state, jobs[other_project].state) == ("queued", "queued")
    # Their own next request releases theirs.
    async with owner_engine.connect() as conn:
        their_upload = (await conn.execute(text("SELECT upload_id FROM archive_imports WHERE id = :i"), {"i": theirs})).scalar_one()
    with pytest.raises(DomainError) as refused:  # another company's upload, asked for by this one
        await upload_service.request_import(RequestImport(upload_id=their_upload), _uow(platform, org))
    assert refused.value.code == ErrorCode.NOT_FOUND
    assert (await _jobs(owner_engine, theirs))[theirs].state == "queued"
    await upload_service.request_import(RequestImport(upload_id=their_upload), _uow(platform, other_org))
    assert (await _jobs(owner_engine, theirs))[theirs].state == "failed"
