"""GET /export/hazards.xlsx?project=<Project id>: 隐患台账, a project's hazard register as a
workbook (docs/centre-day.md §2.2); without `project`, the register of every project of the
company — for headquarters only (a caller of some projects names one). `project:read`, as the
hazards query. Same credentials as a GraphQL client; read inside the caller's tenant wall through
a server-side cursor, written in constant memory to a temporary file chunk by chunk off the event
loop, then sent from that file (the archive exports' way); every download audited. Another
company's project, one out of reach and one that does not exist: one 404."""

from __future__ import annotations

import asyncio
from uuid import UUID

from sqlalchemy.exc import DBAPIError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.errors import ErrorCode
from api.export.written import NOT_FOUND, failed, lacks, send_written
from api.graphql.types.node import from_global_id
from api.print.routes import caller, coded, error_response
from domain.archive.accuracy import beijing_today
from domain.archive.export import ArchiveBook
from domain.errors import DomainError
from domain.hazards.export import ABOUT, GUIDE, SHEET, RecordHazardExport, export_project, export_rows, record_hazard_export
from domain.unit_of_work import UnitOfWork
from tenants.platform import Platform
from tenants.principal import Principal
from tenants.roles import Permission

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
            return error_response(404, ErrorCode.NOT_FOUND, NOT_FOUND)
        return await send_written("hazard-export-", lambda path: _write(platform, principal, project_id, path), _names)

    return endpoint


def _names(code: str, name: str) -> tuple[str, str]:
    day = beijing_today().isoformat()  # the day the file was written
    return f"hazards-{code}-{day}.xlsx", f"隐患台账-{name}-{day}.xlsx"


async def _write(platform: Platform, principal: Principal, project_id: UUID | None, path: str) -> tuple[str, str] | JSONResponse:
    """The register written to `path` and the export audited; the project's (or company's) code and
    name for the file's name, or the coded refusal."""
    try:
        async with platform.transaction(principal.scope) as conn:
            named = ("company", "全公司")
            if project_id is not None:
                project = await export_project(conn, principal.org_id, project_id)
                if project is None:
                    return error_response(404, ErrorCode.NOT_FOUND, NOT_FOUND)
                named = project
                if not principal.can(_NEEDS, project_id):
                    return lacks(_NEEDS)
            book = ArchiveBook(path)
            try:
                writer = book.sheet(SHEET)
                async for chunk in export_rows(conn, principal.org_id, project_id):
                    await asyncio.to_thread(writer.write, chunk)
                book.guide((SHEET,), GUIDE, ABOUT)
            finally:
                await asyncio.to_thread(book.close)
        uow = UnitOfWork(platform, org_id=principal.org_id, actor=principal.actor, scope=principal.scope, may=principal.can)
        await record_hazard_export(RecordHazardExport(project_id, writer.rows), uow)
    except (DomainError, DBAPIError) as e:
        return failed(e, "a hazard export")
    return named
