"""Database refusals turned into errors a client can act on. The constraints are the last line;
inputs are checked before they reach them, so these messages stay general."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from tenants.errors import PlatformCode as ErrorCode, PlatformError

_BY_SQLSTATE = {
    "23505": (ErrorCode.CONFLICT, "已存在相同的唯一值。Something with the same unique value already exists."),
    "23503": (ErrorCode.NOT_FOUND, "引用的记录不存在或您无权查看。A referenced record was not found or is not visible to you."),
    "23514": (ErrorCode.VALIDATION, "取值超出允许范围。A value is outside what is allowed."),
    "23502": (ErrorCode.VALIDATION, "缺少必填值。A required value is missing."),
    "22001": (ErrorCode.VALIDATION, "取值过长。A value is too long."),
    "22P02": (ErrorCode.VALIDATION, "取值格式不正确。A value has the wrong format."),
    "42501": (ErrorCode.FORBIDDEN, "超出了您可修改的企业或项目范围。This is outside the organization or projects you may change."),
    "57014": (ErrorCode.QUERY_TOO_COMPLEX, "请求耗时过长，已被中止，请缩小查询范围。The request took too long and was stopped."),
}


def sqlstate(exc: BaseException) -> str | None:
    orig = getattr(exc, "orig", None)
    return getattr(orig, "sqlstate", None) or getattr(getattr(orig, "__cause__", None), "sqlstate", None)


def translate(exc: DBAPIError) -> PlatformError | None:
    found = _BY_SQLSTATE.get(sqlstate(exc) or "")
    if found is None:
        return None
    return PlatformError(found[0], found[1])
