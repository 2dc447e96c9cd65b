"""GET /export/hazards.xlsx?project=<Project id>: 隐患台账, a project's hazard register as a
workbook (docs/centre-day.md §2.2); without `project`, the register of every project of the
company — for headquarters only (a caller of some projects names one). `project:read`, as the
hazards query. Same credentials as a GraphQL client; read inside the caller's tenant wall through
a server-side cursor, written in constant memory to a temporary file chunk by chunk off the event
loop, then sent from that file (the archive exports' way); every download audited. Another
company's project, one out of reach and one that does not exist: one 404."""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
from uuid import UUID

from sqlalchemy.exc import DBAPIError
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from api.errors import ErrorCode
from api.export.archive import download_headers
from api.graphql.types.node import from_global_id
from api.print.routes import caller, coded, error_response
from domain.archive.accuracy import beijing_today
from domain.archive.export import ArchiveBook
from domain.errors import DomainError, from_platform
from domain.hazards.export import ABOUT, GUIDE, SHEET, RecordHazardExport, export_project, export_rows, record_hazard_export
from domain.unit_of_work import UnitOfWork
from tenants.db_errors import translate
from tenants.platform import Platform
from tenants.principal import Principal
from tenants.roles import Permission

log = logging.getLogger("firstcall.print")  # the print and export endpoints' one log
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_NOT_FOUND = "项目不存在或您无权查看。The project was not found or is not visible to you."
_NEEDS = Permission.PROJECT_READ


def export_hazards(platform: Platform):
    async def endpoint(request: Request) -> Response:
        principal = await caller(platform, request, _NEEDS, "to export the hazard register")
        if isinstance(principal, Response):
            return principal
        try:
            raw = request.query_params.get("project")
            project_id = from_global_id(raw, "Project", "project") if raw is not None else None
        except DomainError as e:
            return coded(e)
        if project_id is None and (principal.projects is not None or not principal.can(_NEEDS)):
            return error_response(403, ErrorCode.FORBIDDEN, "全公司隐患台账仅供总部导出；导出单个项目请用 project=<id>。"
                                                            "The company's register is for headquarters; ask for one project "
                                                            "with project=<id>.")
        if project_id is not None and not principal.scope.allows(project_id):
            return error_response(404, ErrorCode.NOT_FOUND, _NOT_FOUND)
        fd, path = tempfile.mkstemp(prefix="hazard-export-", suffix=".xlsx")
        os.close(fd)
        try:
            answer = await _write(platform, principal, project_id, path)
        except BaseException:
            os.unlink(path)
            raise
        if isinstance(answer, Response):
            os.unlink(path)
            return answer
        code, name = answer
        day = beijing_today().isoformat()
        return FileResponse(path, media_type=_XLSX, background=BackgroundTask(os.unlink, path),
                            headers=download_headers(f"hazards-{code}-{day}.xlsx", f"隐患台账-{name}-{day}.xlsx"))

    return endpoint


async def _write(platform: Platform, principal: Principal, project_id: UUID | None, path: str) -> tuple[str, str] | JSONResponse:
    """The register written to `path` and the export audited; the project's (or company's) code and
    name for the file's name, or the coded refusal."""
    try:
        async with platform.transaction(principal.scope) as conn:
            named = ("company", "全公司")
            if project_id is not None:
                project = await export_project(conn, project_id)
                if project is None:
                    return error_response(404, ErrorCode.NOT_FOUND, _NOT_FOUND)
                named = project
                if not principal.can(_NEEDS, project_id):
                    return error_response(403, ErrorCode.FORBIDDEN, f"您需要本项目的权限 {_NEEDS.value}。"
                                                                    f"You need {_NEEDS.value} on this project.")
            book = ArchiveBook(path)
            try:
                writer = book.sheet(SHEET)
                async for chunk in export_rows(conn, project_id):
                    await asyncio.to_thread(writer.write, chunk)
                book.guide((SHEET,), GUIDE, ABOUT)
            finally:
                await asyncio.to_thread(book.close)
        uow = UnitOfWork(platform, org_id=principal.org_id, actor=principal.actor, scope=principal.scope, may=principal.can)
        await record_hazard_export(RecordHazardExport(project_id, writer.rows), uow)
    except DomainError as e:
        return coded(e)
    except DBAPIError as e:
        found = translate(e)
        if found is not None:
            return coded(from_platform(found))
        log.exception("database error in a hazard export")
        return error_response(500, ErrorCode.INTERNAL, "系统出错，已记录，请稍后重试。Unexpected error. It has been logged.")
    return named
