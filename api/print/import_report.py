"""GET /export/archive-imports/{id}/report.xlsx: an archive import's report as a workbook — the 问题
sheet (sheet, row, column, value, problem, code; values as stored: phone and ID numbers masked),
written as `firstcall import --report` writes it. archive:import on the import's project; another
company's import, or one out of the caller's reach, is 404 alike."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from api.graphql.types.node import from_global_id
from api.print.routes import caller, coded, error_response, guarded_read
from domain.archive import upload_reads
from domain.archive.report import Problem
from domain.archive.report_workbook import problems_workbook
from domain.errors import DomainError, ErrorCode
from tenants.platform import Platform
from tenants.roles import Permission

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(row: Any) -> bytes:
    """The CLI's `--report` workbook, from the problems the import's row keeps."""
    return problems_workbook([Problem(**p) for p in row.problems], row.problem_count)


def export_import_report(platform: Platform):
    async def endpoint(request: Request) -> Response:
        principal = await caller(platform, request, Permission.ARCHIVE_IMPORT, "for an import's report")
        if isinstance(principal, Response):
            return principal
        try:
            import_id = from_global_id(request.path_params["import_id"], "ArchiveImport")
        except DomainError as e:
            return coded(e)
        row = await guarded_read(platform, principal.scope, lambda db: upload_reads.archive_import(db, import_id))
        if isinstance(row, Response):
            return row
        if row is None:
            return error_response(404, ErrorCode.NOT_FOUND,
                                  "导入记录不存在或您无权查看。The import was not found or is not visible to you.")
        if not principal.can(Permission.ARCHIVE_IMPORT, row.project_id):
            return error_response(403, ErrorCode.FORBIDDEN, f"您需要权限 {Permission.ARCHIVE_IMPORT.value}。"
                                                            f"You need {Permission.ARCHIVE_IMPORT.value} on the import's project.")
        data = await asyncio.to_thread(workbook, row)
        disposition = (f'attachment; filename="import-report-{row.created_at:%Y%m%d-%H%M}.xlsx"; '
                       f"filename*=UTF-8''{quote(f'导入问题-{row.created_at:%Y%m%d-%H%M}.xlsx', safe='')}")
        return Response(data, media_type=_XLSX, headers={"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff",
                                                         "Cache-Control": "no-store"})

    return endpoint
