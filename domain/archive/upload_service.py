"""Uploading a workbook and asking for its import (docs/archive.md §6.4): one function per use case,
each in the caller's unit of work. The workbook is encrypted with the platform cipher before it is
stored — it is full of phone and ID numbers. An import request only queues: the worker runs it
(domain/archive/import_run.py)."""

from __future__ import annotations

from uuid import UUID

from domain.archive import upload_repository as repo
from domain.archive.upload_commands import RequestImport, StoreUpload
from domain.archive.upload_model import KINDS, ImportRequest, StoredUpload, import_running, upload_expired
from domain.errors import not_found
from domain.unit_of_work import UnitOfWork
from tenants.personal_data import PersonalDataCipher

_STALE = "导入进程已中断，请重新导入。The import's worker stopped without finishing: import again."
_LOST = ("导入排队超过 30 分钟仍未开始（任务已丢失），已停止，请重新导入。"
         "The import waited over 30 minutes without starting (its job was lost) and was stopped: import again.")


async def store_upload(cmd: StoreUpload, uow: UnitOfWork, *, cipher: PersonalDataCipher) -> StoredUpload:
    async with uow:
        uow.require(KINDS[cmd.kind], cmd.project_id, field="project")
        if not await repo.project_exists(uow.conn, uow.org_id, cmd.project_id):
            raise not_found("The project", "project", zh="项目")
        u = StoredUpload.receive(org_id=uow.org_id, project_id=cmd.project_id, file_name=cmd.file_name, data=cmd.data,
                                 kind=cmd.kind)
        uow.track(u)
        await repo.add_upload(uow.conn, org_id=uow.org_id, project_id=u.project_id, upload_id=u.id, by=uow.actor,
                              file_name=u.file_name, size=u.size, sha256=u.sha256, file_enc=cipher.encrypt_bytes(cmd.data),
                              kind=u.kind)
        await uow.commit()
    return u


async def request_import(cmd: RequestImport, uow: UnitOfWork) -> UUID:
    async with uow:
        request = {"uploadId": str(cmd.upload_id), "dryRun": cmd.dry_run}
        if (done := await uow.claim(cmd.idempotency_key, "importArchive", request)) is not None:
            return UUID(done["id"])
        upload = await repo.upload(uow.conn, uow.org_id, cmd.upload_id)
        if upload is None:
            raise not_found("The upload", "uploadId", zh="上传的文件")
        uow.require(KINDS[upload.kind], upload.project_id, field="uploadId")
        if upload.expired:
            raise upload_expired()
        r = ImportRequest.queue(org_id=uow.org_id, project_id=upload.project_id, upload_id=upload.id, sha256=upload.sha256,
                                dry_run=cmd.dry_run)
        await repo.release_stale(uow.conn, uow.org_id, upload.project_id, _STALE, _LOST)
        if not await repo.add_import(uow.conn, org_id=uow.org_id, import_id=r.id, upload=upload, dry_run=cmd.dry_run,
                                     by=uow.actor):
            raise import_running()
        uow.track(r)
        await uow.commit({"id": str(r.id)})
    return r.id
