"""GET /print/written-replies/{id}: the printable letter, for a browser or a print service that
holds the same credentials as a GraphQL client. Reads inside the caller's tenant wall. Also the
coded JSON errors and the guarded read every print and export endpoint answers with."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from api.auth import authenticate
from api.errors import ErrorCode
from api.graphql.types.node import from_global_id
from api.print.written_reply import render
from api.request_db import RequestDb
from domain.cases.written_reply_read import written_reply
from domain.errors import DomainError
from tenants.context import TenantScope
from tenants.db_errors import translate
from tenants.platform import Platform
from tenants.principal import Principal
from tenants.roles import Permission

log = logging.getLogger("firstcall.print")
T = TypeVar("T")

# A printed letter needs nothing but its own inline style.
_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}
_STATUS = {ErrorCode.VALIDATION: 400, ErrorCode.BAD_REQUEST: 400, ErrorCode.UNAUTHENTICATED: 401, ErrorCode.FORBIDDEN: 403,
           ErrorCode.NOT_FOUND: 404, ErrorCode.CONFLICT: 409, ErrorCode.RATE_LIMITED: 429,
           ErrorCode.QUERY_TOO_COMPLEX: 503}  # a read stopped by the statement timeout: try again later


def error_response(status: int, code: ErrorCode, message: str) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message, "extensions": {"code": code.value}}]}, status_code=status)


def coded(e: DomainError) -> JSONResponse:
    extensions = {"code": e.code.value}
    if (reason := getattr(e, "reason", None)) is not None:  # a client branches on it, as on GraphQL's errors
        extensions["reason"] = reason.value
    return JSONResponse({"errors": [{"message": e.message, "extensions": extensions}]}, status_code=_STATUS.get(e.code, 400))


async def caller(platform: Platform, request: Request, permission: Permission, what: str) -> Principal | JSONResponse:
    """Who is asking, with `permission` somewhere — or the coded 401/403 to answer instead."""
    principal, auth_error = await authenticate(platform, request)
    if auth_error is not None:
        return error_response(401, auth_error.code, auth_error.message)
    if principal is None:
        return error_response(401, ErrorCode.UNAUTHENTICATED, "请提供登录凭据：Bearer 令牌或 API 密钥。"
                                                              "Send credentials as 'Authorization: Bearer <token>' or 'X-Api-Key: <key>'.")
    if not principal.can_anywhere(permission):
        return error_response(403, ErrorCode.FORBIDDEN, f"您需要权限 {permission.value}。You need {permission.value} {what}.")
    return principal


async def guarded_read(platform: Platform, scope: TenantScope, read: Callable[[RequestDb], Awaitable[T]]) -> T | JSONResponse:
    """`read` on one read transaction in the caller's scope; a refusal (by our rules or the
    database's) becomes its coded error, any other database failure is logged and answered
    INTERNAL — never the plain-text 500."""
    db = RequestDb(platform, scope)
    try:
        try:
            return await read(db)
        finally:
            await db.close()
    except DomainError as e:
        return coded(e)
    except DBAPIError as e:
        found = translate(e)
        if found is not None:
            return coded(found)
        log.exception("database error in a print or export read")
        return error_response(500, ErrorCode.INTERNAL, "系统出错，已记录，请稍后重试。Unexpected error. It has been logged.")


def print_written_reply(platform: Platform):
    async def endpoint(request: Request) -> Response:
        principal = await caller(platform, request, Permission.CASE_READ, "to print a written reply")
        if isinstance(principal, Response):
            return principal
        try:
            reply_id = from_global_id(request.path_params["reply_id"], "WrittenReply", "id")
        except DomainError as e:
            return coded(e)
        row: Any = await guarded_read(platform, principal.scope, lambda db: written_reply(db, reply_id))
        if isinstance(row, Response):
            return row
        if row is None:
            return error_response(404, ErrorCode.NOT_FOUND, "书面答复不存在或您无权查看。"
                                                            "The written reply was not found or is not visible to you.")
        return HTMLResponse(render(row), headers=_HEADERS)

    return endpoint
