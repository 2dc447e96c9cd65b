"""GET /export/archive-imports/{id}/report.xlsx: an archive import's report as a workbook — the 问题
sheet (sheet, row, column, value, problem, code; values as stored: phone and ID numbers masked) and
the 统计 sheet (records per sheet). archive:import on the import's project; another company's
import, or one out of the caller's reach, is 404 alike."""

from __future__ import annotations

import asyncio
import io
from typing import Any
from urllib.parse import quote

import xlsxwriter
from starlette.requests import Request
from starlette.responses import Response

from api.graphql.types.archive_import import STATE_LABELS
from api.graphql.types.node import from_global_id
from api.print.routes import caller, coded, error_response, guarded_read
from domain.archive import upload_reads
from domain.archive.report import KEEP
from domain.errors import DomainError, ErrorCode
from tenants.platform import Platform
from tenants.roles import Permission

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROBLEM_HEADER = ("工作表 Sheet", "行 Row", "列 Column", "值 Value", "问题 Problem", "代码 Code", "Problem (English)")


def workbook(row: Any) -> bytes:
    out = io.BytesIO()
    # Cells hold what an office typed: text stays text, never a formula or a link.
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                     "strings_to_numbers": False})
    header = book.add_format({"bold": True, "bg_color": "#EEF2F7", "border": 1})
    ws = book.add_worksheet("问题")
    for col, (title, width) in enumerate(zip(PROBLEM_HEADER, (10, 8, 18, 22, 48, 18, 48), strict=True)):
        ws.write_string(0, col, title, header)
        ws.set_column(col, col, width)
    ws.freeze_panes(1, 0)
    r = 0
    for r, p in enumerate(row.problems, start=1):
        ws.write_string(r, 0, p.get("sheet", ""))
        if p.get("row"):
            ws.write_number(r, 1, p["row"])
        for col, key in ((2, "column"), (3, "value"), (4, "problem"), (5, "code"), (6, "english")):
            ws.write_string(r, col, str(p.get(key, "")))
    if row.problem_count > len(row.problems):
        ws.write_string(r + 2, 0, f"共 {row.problem_count} 个问题，此处列出前 {KEEP} 个。"
                                  f"{row.problem_count} problems in all; the first {KEEP} are listed.")
    if not row.problems:
        ws.write_string(1, 0, "没有发现问题。No problems found.")
    counts = book.add_worksheet("统计")
    for col, title in enumerate(("工作表 Sheet", "新增 Created", "更新 Updated", "未变 Unchanged")):
        counts.write_string(0, col, title, header)
        counts.set_column(col, col, 16)
    for i, c in enumerate(row.counts, start=1):
        counts.write_string(i, 0, c["sheet"])
        for col, key in ((1, "created"), (2, "updated"), (3, "unchanged")):
            counts.write_number(i, col, c[key])
    last = len(row.counts) + 2
    counts.write_string(last, 0, f"{row.file_name} · {'试导入' if row.dry_run else '导入'} · {STATE_LABELS[row.state]}")
    book.close()
    return out.getvalue()


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
