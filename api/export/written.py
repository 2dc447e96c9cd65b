"""What the project workbook exports (archive lists, fee lists, the hazard register) share: the
file written to a temporary path and sent (removed after sending, or at once on a refusal or
failure), the refusal for a missing permission on the project, and one answer for an error met
while writing — a refusal coded, a known database error translated, anything else logged and 500."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from sqlalchemy.exc import DBAPIError
from starlette.background import BackgroundTask
from starlette.responses import FileResponse, JSONResponse, Response

from api.errors import ErrorCode
from api.print.routes import coded, error_response
from domain.errors import DomainError, from_platform
from tenants.db_errors import translate
from tenants.roles import Permission

log = logging.getLogger("firstcall.print")  # the print and export endpoints' one log
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_FOUND = "项目不存在或您无权查看。The project was not found or is not visible to you."

# A project's (or the company's) code and name for the file's names, or the coded refusal.
Written = tuple[str, str] | JSONResponse


def download_headers(ascii_name: str, chinese_name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{ascii_name}"; filename*=UTF-8\'\'{quote(chinese_name, safe="")}',
            "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}


def lacks(needs: Permission) -> JSONResponse:
    """The project's existence is no secret to someone who sees it: a 403 naming what is missing."""
    return error_response(403, ErrorCode.FORBIDDEN, f"您需要本项目的权限 {needs.value}。You need {needs.value} on this project.")


def failed(e: DomainError | DBAPIError, what: str) -> JSONResponse:
    """Called in the `except` that caught e (so an unknown database error is logged with its trace)."""
    if isinstance(e, DomainError):
        return coded(e)
    found = translate(e)
    if found is not None:
        return coded(from_platform(found))
    log.exception("database error in %s", what)
    return error_response(500, ErrorCode.INTERNAL, "系统出错，已记录，请稍后重试。Unexpected error. It has been logged.")


async def send_written(prefix: str, write: Callable[[str], Awaitable[Written]],
                       names: Callable[[str, str], tuple[str, str]]) -> Response:
    """write(path) fills a new temporary file; names(code, name) gives its ASCII and Chinese file names."""
    fd, path = tempfile.mkstemp(prefix=prefix, suffix=".xlsx")
    os.close(fd)
    try:
        answer = await write(path)
    except BaseException:
        os.unlink(path)
        raise
    if isinstance(answer, Response):
        os.unlink(path)
        return answer
    ascii_name, chinese_name = names(*answer)
    return FileResponse(path, media_type=XLSX, background=BackgroundTask(os.unlink, path),
                        headers=download_headers(ascii_name, chinese_name))
