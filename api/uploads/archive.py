"""POST /uploads/archive?project=<Project id>[&name=<file name>][&kind=archive|fee_opening]: a
workbook as the raw request body (docs/archive.md §6.4), with the credentials of a GraphQL client
and the kind's permission on the project — archive:import for the archive, fee:import for opening
balances (docs/resident-services.md §6.8). The body is read into memory up to 20 MB (413 beyond, before the rest is read),
then encrypted and stored for 24 hours; `importArchive(uploadId)` imports it.

Not GraphQL multipart: /graphql's body is capped and decoded before admission, and a multipart
POST is a CORS "simple" request; a raw body with an Authorization header is neither."""

from __future__ import annotations

import logging
from uuid import UUID

from sqlalchemy.exc import DBAPIError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.errors import ErrorCode
from api.graphql.types.node import from_global_id, to_global_id
from api.print.routes import caller, coded, error_response
from domain.archive import upload_service
from domain.archive.upload_commands import StoreUpload
from domain.archive.upload_model import KINDS, MAX_BYTES, import_kind, too_large
from domain.errors import DomainError
from domain.unit_of_work import UnitOfWork
from tenants.db_errors import translate
from tenants.platform import Platform

log = logging.getLogger("firstcall.uploads")


class _TooLarge(Exception):
    def __init__(self, size: int) -> None:
        self.size = size


async def _body(request: Request) -> bytes:
    """The body, refused as soon as it passes the cap: a declared length beyond it is not read at all."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BYTES:
        raise _TooLarge(int(declared))
    buffer = bytearray()
    async for chunk in request.stream():
        buffer += chunk
        if len(buffer) > MAX_BYTES:
            raise _TooLarge(len(buffer))
    return bytes(buffer)


def upload_archive(platform: Platform):
    async def endpoint(request: Request) -> Response:
        try:
            kind = import_kind(request.query_params.get("kind"))
        except DomainError as e:
            return coded(e)
        needs = KINDS[kind]
        principal = await caller(platform, request, needs, f"to upload a workbook ({kind})")
        if isinstance(principal, Response):
            return principal
        try:
            project = request.query_params.get("project")
            if not project:
                raise DomainError(ErrorCode.VALIDATION, "请指定项目：?project=<项目 ID>。Name the project: ?project=<Project id>.",
                                  "project")
            project_id: UUID = from_global_id(project, "Project", "project")
            uow = UnitOfWork(platform, org_id=principal.org_id, actor=principal.actor, scope=principal.scope, may=principal.can)
            # A project out of reach, or without the kind's permission, is refused before 20 MB are taken in.
            uow.require(needs, project_id, field="project")
            try:
                data = await _body(request)
            except _TooLarge as e:
                return error_response(413, ErrorCode.BAD_REQUEST, too_large(e.size).message)
            stored = await upload_service.store_upload(
                StoreUpload(project_id=project_id, file_name=request.query_params.get("name") or "", data=data, kind=kind), uow,
                cipher=platform.cipher)
        except DomainError as e:
            return coded(e)
        except DBAPIError as e:
            if (found := translate(e)) is not None:
                return coded(found)
            log.exception("database error storing an archive upload")
            return error_response(500, ErrorCode.INTERNAL, "系统出错，已记录，请稍后重试。Unexpected error. It has been logged.")
        return JSONResponse({"uploadId": to_global_id("ArchiveUpload", stored.id), "size": stored.size, "sha256": stored.sha256,
                             "fileName": stored.file_name, "kind": stored.kind}, status_code=201)

    return endpoint
