"""GET /print/monthly-summary and GET /export/monthly-summary.xlsx: the monthly summary of one
project (`project=<Project id>`) or of the company (headquarters only), for `month=YYYY-MM`
(by default the last complete Beijing month). Same credentials as a GraphQL client; read inside
the caller's tenant wall."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from api.graphql.types.node import from_global_id
from api.print.monthly_summary import render
from api.print.monthly_xlsx import workbook
from api.print.routes import caller, coded, error_response, guarded_read
from domain.errors import DomainError, ErrorCode
from domain.kpi.monthly_summary_read import Summary, monthly_summary, parse_month
from tenants.platform import Platform
from tenants.roles import Permission

# Inline style and the charts' own SVG; nothing else may load or run.
_HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
            "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(s: Summary) -> str:
    code = s.project.code if s.project is not None else "company"  # project codes are ASCII by constraint
    name = f"{s.project.name}" if s.project is not None else "全公司"
    return (f'attachment; filename="monthly-summary-{s.month:%Y-%m}-{code}.xlsx"; '
            f"filename*=UTF-8''{quote(f'月度小结-{s.month:%Y-%m}-{name}.xlsx', safe='')}")


def _summary_endpoint(platform: Platform, answer: Callable[[Summary], Awaitable[Response]]):
    async def endpoint(request: Request) -> Response:
        principal = await caller(platform, request, Permission.PROJECT_READ, "for a monthly summary")
        if isinstance(principal, Response):
            return principal
        try:
            month = parse_month(request.query_params.get("month"))
            project = request.query_params.get("project")
            project_id = from_global_id(project, "Project", "project") if project is not None else None
        except DomainError as e:
            return coded(e)
        headquarters = principal.projects is None
        if project_id is None and not headquarters:
            return error_response(403, ErrorCode.FORBIDDEN, "公司月度汇总比较全部项目，仅供总部查看；查看单个项目请用 project=<id>。"
                                                            "The company's summary compares every project: it is for headquarters. "
                                                    "Ask for one project with project=<id>.")
        summary = await guarded_read(platform, principal.scope, lambda db: monthly_summary(
            db, month, project_id, headquarters, staff=project_id is not None and principal.can(Permission.STAFF_READ, project_id)))
        if isinstance(summary, Response):
            return summary
        if summary is None:
            return error_response(404, ErrorCode.NOT_FOUND, "项目不存在或您无权查看。The project was not found or is not visible to you.")
        return await answer(summary)

    return endpoint


def print_monthly_summary(platform: Platform):
    async def page(s: Summary) -> Response:
        return HTMLResponse(render(s), headers=_HEADERS)

    return _summary_endpoint(platform, page)


def export_monthly_summary(platform: Platform):
    async def book(s: Summary) -> Response:
        # Zipping a workbook of 2,000 projects takes most of a second: off the event loop.
        data = await asyncio.to_thread(workbook, s)
        return Response(data, media_type=_XLSX, headers={"Content-Disposition": _attachment(s), "X-Content-Type-Options": "nosniff",
                                                         "Cache-Control": "no-store"})

    return _summary_endpoint(platform, book)
