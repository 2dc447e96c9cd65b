"""The fee workbooks (docs/resident-services.md §6.8), with the credentials of a GraphQL client:

- GET /export/fees/opening-template.xlsx — the 期初欠费 import template (fee:import somewhere);
- GET /export/arrears.xlsx?project=&asOf= — arrears per flat with ageing buckets, then per bill;
- GET /export/bills.xlsx?project=&period=2026-01 — a month's bills;
- GET /export/payments.xlsx?project=&from=&to= — payments and refunds, Beijing days inclusive.

The lists need fee:read on the project and are read inside the caller's tenant wall through a
server-side cursor, written in constant memory to a temporary file chunk by chunk off the event
loop, then sent from that file — the archive exports' way (api/export/archive.py). Phones are the
stored masks. Another company's project, one out of reach and one that does not exist: one 404."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy.exc import DBAPIError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.errors import ErrorCode
from api.export.written import NOT_FOUND, XLSX, download_headers, failed, lacks, send_written
from api.graphql.types.node import from_global_id
from api.print.routes import caller, coded, error_response
from domain.archive.accuracy import beijing_today
from domain.archive.export import ArchiveBook
from domain.archive.export_reads import export_project
from domain.archive.sheets import Sheet
from domain.archive.template import template
from domain.archive.values import BadValue, parse_date
from domain.errors import DomainError, invalid
from domain.fees import export_sheets as sheets
from domain.fees import opening_sheet
from domain.fees.export_reads import export_rows
from domain.fees.export_service import RecordFeeExport, record_fee_export
from domain.fees.sheet_values import parse_period
from domain.unit_of_work import UnitOfWork
from tenants.platform import Platform
from tenants.principal import Principal
from tenants.roles import Permission

_LONGEST = 366  # days of payments in one file


def export_opening_template(platform: Platform):
    async def endpoint(request: Request) -> Response:
        principal = await caller(platform, request, Permission.FEE_IMPORT, "for the opening-balance template")
        if isinstance(principal, Response):
            return principal
        data = await asyncio.to_thread(template, opening_sheet.SHEETS, opening_sheet.GUIDE, opening_sheet.ABOUT)
        return Response(data, media_type=XLSX, headers=download_headers("fee-opening-template.xlsx", "期初欠费导入模板.xlsx"))

    return endpoint


def _day(request: Request, name: str, default: date | None = None) -> date:
    raw = request.query_params.get(name, "")
    if not raw and default is not None:
        return default
    try:
        return parse_date(raw)
    except BadValue:
        raise invalid(f"日期格式不正确（如 2026-01-31）：{name}。{name} must be a date (2026-01-31).", name) from None


def _arrears(request: Request) -> tuple[tuple[Sheet, ...], dict[str, Any], dict[str, str]]:
    as_of = _day(request, "asOf", beijing_today())
    return (sheets.ARREARS, sheets.ARREARS_BILLS), {"as_of": as_of}, {"asOf": as_of.isoformat()}


def _bills(request: Request) -> tuple[tuple[Sheet, ...], dict[str, Any], dict[str, str]]:
    try:
        period = parse_period(request.query_params.get("period", ""))
    except BadValue:
        raise invalid("所属期间应为月份（如 2026-01）。period must be a month (2026-01).", "period") from None
    return (sheets.BILLS,), {"period": period}, {"period": period.isoformat()[:7]}


def _payments(request: Request) -> tuple[tuple[Sheet, ...], dict[str, Any], dict[str, str]]:
    today = beijing_today()
    to_day = _day(request, "to", today)
    from_day = _day(request, "from", to_day.replace(day=1))
    if from_day > to_day or (to_day - from_day).days >= _LONGEST:
        raise invalid("日期范围应从早到晚，且不超过一年。from must not be after to, and the range at most a year.", "from")
    return (sheets.PAYMENTS,), {"from_day": from_day, "to_day": to_day}, {"from": from_day.isoformat(), "to": to_day.isoformat()}


_LISTS = {"arrears": (_arrears, "欠费"), "bills": (_bills, "账单"), "payments": (_payments, "收款")}


def export_fee_list(platform: Platform, kind: str):
    parse, title = _LISTS[kind]

    async def endpoint(request: Request) -> Response:
        principal = await caller(platform, request, Permission.FEE_READ, f"to export {kind}")
        if isinstance(principal, Response):
            return principal
        try:
            project_id = from_global_id(request.query_params.get("project", ""), "Project", "project")
            books, params, asked = parse(request)
        except DomainError as e:
            return coded(e)
        if not principal.scope.allows(project_id):
            return error_response(404, ErrorCode.NOT_FOUND, NOT_FOUND)
        tail = "-".join(asked.values())
        return await send_written("fee-export-", lambda path: _write(platform, principal, kind, books, project_id, params, asked, path),
                                 lambda code, name: (f"{kind}-{code}-{tail}.xlsx", f"{title}-{name}-{tail}.xlsx"))

    return endpoint


async def _write(platform: Platform, principal: Principal, kind: str, books: tuple[Sheet, ...], project_id: UUID,
                 params: dict[str, Any], asked: dict[str, str], path: str) -> tuple[str, str] | JSONResponse:
    """The sheets written to `path` and the export audited; the project's code and name, or the coded refusal."""
    rows = 0
    try:
        async with platform.transaction(principal.scope) as conn:
            project = await export_project(conn, principal.org_id, project_id)
            if project is None:
                return error_response(404, ErrorCode.NOT_FOUND, NOT_FOUND)
            if not principal.can(Permission.FEE_READ, project_id):
                return lacks(Permission.FEE_READ)
            book = ArchiveBook(path)
            try:
                for sheet in books:
                    writer = book.sheet(sheet)
                    async for chunk in export_rows(conn, sheet.key, {"o": principal.org_id, "p": project_id, **params}):
                        await asyncio.to_thread(writer.write, chunk)
                    rows += writer.rows
                book.guide(books, sheets.GUIDE, sheets.ABOUT)
            finally:
                await asyncio.to_thread(book.close)
        uow = UnitOfWork(platform, org_id=principal.org_id, actor=principal.actor, scope=principal.scope, may=principal.can)
        await record_fee_export(RecordFeeExport(project_id, kind, rows, asked), uow)
    except (DomainError, DBAPIError) as e:
        return failed(e, "a fee export")
    return project
