"""GET /print/written-replies/{id}: the printable letter, for a browser or a print service that
holds the same credentials as a GraphQL client. Reads inside the caller's tenant wall."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from api.auth import authenticate
from api.graphql.types.node import from_global_id
from api.print.written_reply import REPLY_SQL, render
from api.request_db import RequestDb
from domain.errors import DomainError, ErrorCode
from tenants.platform import Platform
from tenants.roles import Permission

# A printed letter needs nothing but its own inline style.
_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


def _error(status: int, code: ErrorCode, message: str) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message, "extensions": {"code": code.value}}]}, status_code=status)


def print_written_reply(platform: Platform):
    async def endpoint(request: Request) -> Response:
        principal, auth_error = await authenticate(platform, request)
        if auth_error is not None:
            return _error(401, auth_error.code, auth_error.message)
        if principal is None:
            return _error(401, ErrorCode.UNAUTHENTICATED, "Send credentials as 'Authorization: Bearer <token>' or 'X-Api-Key: <key>'.")
        if not principal.can_anywhere(Permission.CASE_READ):
            return _error(403, ErrorCode.FORBIDDEN, "You need case:read to print a written reply.")
        try:
            reply_id = from_global_id(request.path_params["reply_id"], "WrittenReply", "id")
        except DomainError as e:
            return _error(400, e.code, e.message)
        db = RequestDb(platform, principal.scope)
        try:
            row = await db.first(REPLY_SQL, {"id": reply_id})
        finally:
            await db.close()
        if row is None:
            return _error(404, ErrorCode.NOT_FOUND, "The written reply was not found or is not visible to you.")
        return HTMLResponse(render(row), headers=_HEADERS)

    return endpoint
