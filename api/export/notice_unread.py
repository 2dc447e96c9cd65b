"""GET /export/notices/{id}/unread.xlsx (docs/resident-services.md §5.4): the flats a notice reached
that have not read it, with each flat's primary contact, phone masked — for staff to phone or visit.
Same credentials as a GraphQL client; read inside the caller's tenant wall; needs `archive:read` and
`notice:draft` or `notice:publish` on the notice's project; every download audited."""

from __future__ import annotations

import asyncio
from uuid import UUID

from starlette.requests import Request
from starlette.responses import Response

from api.errors import ErrorCode
from api.graphql.types.node import from_global_id
from api.print.routes import caller, coded, error_response
from domain.errors import DomainError
from domain.notices import reads, service
from domain.notices.unread_sheet import unread_sheet
from domain.reads import ConnectionReader
from domain.unit_of_work import UnitOfWork
from tenants.platform import Platform
from tenants.roles import Permission

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_HEADERS = {"Content-Disposition": 'attachment; filename="notice-unread.xlsx"; '
                                   "filename*=UTF-8''%E6%9C%AA%E8%AF%BB%E5%90%8D%E5%8D%95.xlsx",  # 未读名单.xlsx
            "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}
_NOT_FOUND = "通知不存在或您无权查看。The notice was not found or is not visible to you."


def export_notice_unread(platform: Platform):
    async def endpoint(request: Request) -> Response:
        principal = await caller(platform, request, Permission.ARCHIVE_READ, "for a notice's unread list")
        if isinstance(principal, Response):
            return principal
        try:
            notice_id: UUID = from_global_id(request.path_params["notice_id"], "Notice", "noticeId")
        except DomainError as e:
            return coded(e)
        async with platform.transaction(principal.scope) as conn:
            db = ConnectionReader(conn, principal.org_id)
            notice = await reads.notice(db, notice_id)
            if notice is None:
                return error_response(404, ErrorCode.NOT_FOUND, _NOT_FOUND)
            p = notice.project_id
            if not (principal.can(Permission.ARCHIVE_READ, p)
                    and (principal.can(Permission.NOTICE_DRAFT, p) or principal.can(Permission.NOTICE_PUBLISH, p))):
                return error_response(403, ErrorCode.FORBIDDEN, "您需要本项目的 archive:read 及 notice:draft 或 notice:publish 权限。"
                                                                "You need archive:read and notice:draft or notice:publish on its project.")
            rows = await reads.unread_rows(db, notice_id)
        data = await asyncio.to_thread(unread_sheet, notice.title, rows)
        uow = UnitOfWork(platform, org_id=principal.org_id, actor=principal.actor, scope=principal.scope, may=principal.can)
        try:
            await service.record_unread_export(notice_id, p, len(rows), uow)
        except DomainError as e:
            return coded(e)
        return Response(data, media_type=_XLSX, headers=_HEADERS)

    return endpoint
