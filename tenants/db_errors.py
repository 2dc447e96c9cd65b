"""Database refusals turned into errors a client can act on. The constraints are the last line;
inputs are checked before they reach them, so these messages stay general."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, TimeoutError as PoolTimeout

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


_BUSY = (ErrorCode.UNAVAILABLE, "服务繁忙或正在重启，本次请求未生效，请稍后重试。"
                                "The service is busy or restarting; the request did nothing. Try again in a moment.")
# Classes 08 (connection), 53 (out of resources), 57P (the server shutting down or starting) and
# a serialization failure or deadlock: nothing was done, and the same request may succeed again.
_RETRYABLE = ("08", "53", "57P", "40001", "40P01")


def sqlstate(exc: BaseException) -> str | None:
    orig = getattr(exc, "orig", None)
    return getattr(exc, "sqlstate", None) or getattr(orig, "sqlstate", None) or getattr(getattr(orig, "__cause__", None), "sqlstate", None)


def translate(exc: DBAPIError) -> PlatformError | None:
    found = _BY_SQLSTATE.get(sqlstate(exc) or "")
    if found is None:
        return None
    return PlatformError(found[0], found[1])


def unavailable(exc: BaseException) -> PlatformError | None:
    """What the API tells a client when the database could not serve its request at all: out of
    connections, restarting, unreachable, the pool's wait over, or a conflict lost. None for
    anything else, which stays our own error. Not applied in the unit of work: a worker's actor
    sees the database's own error and is retried by its broker."""
    state = sqlstate(exc) or ""
    seen: set[int] = set()
    chain: BaseException | None = exc
    while chain is not None and id(chain) not in seen:  # asyncpg's and the socket's, under SQLAlchemy's
        seen.add(id(chain))
        if isinstance(chain, (PoolTimeout, ConnectionError, TimeoutError)):
            state = state or "08000"
        chain = chain.__cause__ or getattr(chain, "orig", None) or chain.__context__
    if not state.startswith(_RETRYABLE):
        return None
    return PlatformError(_BUSY[0], _BUSY[1], retry_after=1)
