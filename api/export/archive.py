"""GET /export/archive/template.xlsx and GET /export/archive/{kind}.xlsx?project=<Project id>
(docs/archive.md §6.2): the import template, and one list of a project's archive as the same sheet,
phones and ID numbers masked, so a file exported, edited and imported again round-trips. Same
credentials as a GraphQL client; read inside the caller's tenant wall. A list is read through a
server-side cursor and written in constant memory to a temporary file, chunk by chunk off the
event loop, then sent from that file: a 100,000-row list never sits in memory."""

from __future__ import annotations

import asyncio
from uuid import UUID

from sqlalchemy.exc import DBAPIError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.errors import ErrorCode
from api.export.written import NOT_FOUND, XLSX, download_headers, failed, lacks, send_written
from api.graphql.types.node import from_global_id
from api.print.routes import caller, coded, error_response
from domain.archive.export import ArchiveBook
from domain.archive.export_reads import export_project, export_rows
from domain.archive.export_service import RecordExport, record_export
from domain.archive.sheets import SHEETS
from domain.archive.template import template
from domain.errors import DomainError
from domain.unit_of_work import UnitOfWork
from tenants.platform import Platform
from tenants.principal import Principal
from tenants.roles import Permission

_SHEETS = {s.key: s for s in SHEETS}
# Staff are the directory's, read with the directory's permission; the rest is the archive.
_NEEDS = {key: Permission.STAFF_READ if key == "staff" else Permission.ARCHIVE_READ for key in _SHEETS}


def export_archive_template(platform: Platform):
    """Anyone who reads the archive somewhere: every role that imports holds archive:read too, and
    the file holds headers only."""

    async def endpoint(request: Request) -> Response:
        principal = await caller(platform, request, Permission.ARCHIVE_READ, "for the archive template")
        if isinstance(principal, Response):
            return principal
        data = await asyncio.to_thread(template)
        return Response(data, media_type=XLSX, headers=download_headers("archive-template.xlsx", "档案导入模板.xlsx"))

    return endpoint


def export_archive_list(platform: Platform):
    async def endpoint(request: Request) -> Response:
        sheet = _SHEETS.get(request.path_params["kind"])
        if sheet is None:
            return error_response(404, ErrorCode.NOT_FOUND, "没有这种档案导出（可用：" + "、".join(_SHEETS) + "）。"
                                  "No such archive export; one of " + ", ".join(_SHEETS) + ".")
        needs = _NEEDS[sheet.key]
        principal = await caller(platform, request, needs, f"to export {sheet.english}")
        if isinstance(principal, Response):
            return principal
        try:
            project_id = from_global_id(request.query_params.get("project", ""), "Project", "project")
        except DomainError as e:
            return coded(e)
        if not principal.scope.allows(project_id):
            return error_response(404, ErrorCode.NOT_FOUND, NOT_FOUND)
        return await send_written("archive-export-", lambda path: _write(platform, principal, sheet.key, project_id, needs, path),
                                 lambda code, name: (f"archive-{sheet.key}-{code}.xlsx", f"{sheet.name}-{name}.xlsx"))

    return endpoint


async def _write(platform: Platform, principal: Principal, kind: str, project_id: UUID, needs: Permission,
                 path: str) -> tuple[str, str] | JSONResponse:
    """The list written to `path` and its export audited; the project's code and name, or the coded refusal."""
    sheet = _SHEETS[kind]
    try:
        async with platform.transaction(principal.scope) as conn:
            project = await export_project(conn, principal.org_id, project_id)
            if project is None:
                return error_response(404, ErrorCode.NOT_FOUND, NOT_FOUND)
            if not principal.can(needs, project_id):
                return lacks(needs)
            book = ArchiveBook(path)
            try:
                writer = book.sheet(sheet, project[0])
                async for chunk in export_rows(conn, principal.org_id, kind, project_id):
                    await asyncio.to_thread(writer.write, chunk)
                book.guide((sheet,))
            finally:
                await asyncio.to_thread(book.close)
        uow = UnitOfWork(platform, org_id=principal.org_id, actor=principal.actor, scope=principal.scope, may=principal.can)
        await record_export(RecordExport(project_id, kind, writer.rows, needs), uow)
    except (DomainError, DBAPIError) as e:
        return failed(e, "an archive export")
    return project

