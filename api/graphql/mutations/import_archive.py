"""importArchive: queue the import of an uploaded workbook (POST /uploads/archive); a worker runs
it and `archiveImport(id)` follows it. The use case: domain/archive/upload_service.py."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.archive_import import ArchiveImport, archive_import
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from domain.archive import upload_service
from domain.archive.upload_commands import RequestImport
from tenants.roles import Permission


@strawberry.type
class ArchiveImportPayload:
    import_: ArchiveImport | None = strawberry.field(default=None, name="import")
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.ARCHIVE_IMPORT)],
                     description="导入档案 Import an uploaded workbook into its project's archive: a dry run (the default) "
                                 "checks and counts and writes nothing; dryRun: false writes everything or, with any "
                                 "problem, nothing. Queued for a worker; follow it with archiveImport(id). One import "
                                 "per project at a time (CONFLICT, reason IMPORT_RUNNING).")
@user_errors(ArchiveImportPayload)
async def import_archive(info: Info, upload_id: strawberry.ID, dry_run: bool = True,
                         idempotency_key: IdempotencyKey = None) -> ArchiveImportPayload:
    cmd = RequestImport(upload_id=from_global_id(upload_id, "ArchiveUpload", "uploadId"), dry_run=dry_run,
                        idempotency_key=idempotency_key)
    import_id = await upload_service.request_import(cmd, unit_of_work(info))
    return ArchiveImportPayload(import_=await archive_import(info, import_id))
