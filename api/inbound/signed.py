"""What outside parties send us, signed: an outside body's acknowledgement and feedback on a
referral, a 12345 bridge's orders and evaluations. One shape for all of them:

1. the source id in the path names a company and project — through a SECURITY DEFINER
   function that returns only those ids (`find`), nothing else crosses the wall;
2. the request is checked against the source's own secret, read inside that project's wall:
   `X-Firstcall-Timestamp` (seconds) and `X-Firstcall-Signature: v1=<hex HMAC-SHA256(secret,
   "<timestamp>.<body>")>`, exactly as we sign what we send; a forged signature or a timestamp more
   than five minutes away is refused with 401 and nothing is read further;
3. `X-Firstcall-Delivery` is the idempotency key, and the signed body repeats it as `"id"` (as
   our own webhooks do), so a captured request cannot be sent again under a new key. The first
   request's answer is stored in `inbound_receipts` in the same transaction as its effect, under a
   lock on the key: a replay — even one arriving while the first is still at work — gets that
   answer back with `"duplicate": true` and changes nothing.

Bad input gets the coded JSON errors of every other endpoint, never a 500. A signed per-project
integration's endpoint (a payment or telephony integration, domain/integrations/) is made whole by
`integration_endpoint` from its kind."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import orjson
from sqlalchemy import TextClause
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.errors import ErrorCode
from api.print.routes import coded, error_response
from domain.integrations.kinds import IntegrationKind
from domain.integrations.repository import find_statement, secret_statement
from domain.notifications.signing import TOLERANCE_SECONDS, verify_webhook
from domain.unit_of_work import Joined, UnitOfWork
from tenants import inbound_receipts as receipts
from tenants.context import TenantScope
from tenants.db_errors import translate
from tenants.errors import PlatformError
from tenants.platform import Platform

log = logging.getLogger("firstcall.inbound")
MAX_BODY = 64 * 1024
Work = Callable[[AsyncConnection, dict[str, Any], "Source"], Awaitable[dict[str, Any]]]


class Source:
    """Who sent it: the source's ids, and the row `secret_of` read (whatever else the endpoint
    asked of it), for the work to use."""

    def __init__(self, kind: str, id: UUID, org_id: UUID, project_id: UUID) -> None:
        self.kind, self.id, self.org_id, self.project_id = kind, id, org_id, project_id
        self.row: Any = None

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def scope(self) -> TenantScope:
        """The wall the request runs in: the source's project, nothing else."""
        return TenantScope(self.org_id, frozenset({self.project_id}), f"inbound:{self.kind}:{self.id}")


def unit_of_work(conn: AsyncConnection, source: Source, *, actor: str) -> UnitOfWork:
    """The work's unit of work, inside the request's transaction: the change, its audit rows and
    events commit with the receipt or not at all. An outside party holds no user permissions
    (`may=None`); what it may touch is its own project's wall and what the use case checks. No
    savepoint: one use case per request, and its refusal ends the request's transaction whole."""
    return UnitOfWork(Joined(conn, savepoint=False), org_id=source.org_id, actor=actor, scope=source.scope, may=None)


def integration_endpoint(platform: Platform, kind: IntegrationKind, work: Work) -> Callable[[Request], Awaitable[Response]]:
    """POST …/{integration_id} for a kind of signed integration: found by its tenant function,
    checked against its own secret, switched off refused."""
    find, secret_of = find_statement(kind), secret_statement(kind)

    async def endpoint(request: Request) -> Response:
        return await receive(platform, request, kind=kind.entity, source_id=request.path_params["integration_id"],
                             find=find, secret_of=secret_of, work=work)

    return endpoint


class _Raced(Exception):
    """The same delivery committed meanwhile in another request: answer with its result."""


async def receive(platform: Platform, request: Request, *, kind: str, source_id: str, find: TextClause,
                  secret_of: TextClause, work: Work) -> JSONResponse:
    """`find` (no tenant): `:id` → one row (org_id, project_id) or none. `secret_of` (in the wall):
    `:id` → (secret_enc, active, and any columns the work needs, handed over as `source.row`)."""
    try:
        sid = UUID(source_id)
    except ValueError:
        return error_response(404, ErrorCode.NOT_FOUND, f"此 ID 不存在。No {kind} has this id.")
    delivery = request.headers.get("x-firstcall-delivery", "")
    timestamp = request.headers.get("x-firstcall-timestamp", "")
    signature = request.headers.get("x-firstcall-signature", "")
    if not (8 <= len(delivery) <= 100 and delivery.isascii() and delivery.isprintable()):
        return error_response(400, ErrorCode.BAD_REQUEST, "请提供 X-Firstcall-Delivery：每条消息一个 8 到 100 字符的唯一 ID。"
                                                          "Send X-Firstcall-Delivery: a unique id of 8–100 characters per message.")
    if not timestamp or not signature:
        return error_response(401, ErrorCode.UNAUTHENTICATED,
                              "请求须签名：请提供 X-Firstcall-Timestamp 和 X-Firstcall-Signature。"
                              "Sign the request: X-Firstcall-Timestamp and X-Firstcall-Signature (see docs/webhooks.md).")
    body = await _body(request)
    if body is None:
        return error_response(413, ErrorCode.BAD_REQUEST, f"请求体最大 {MAX_BODY // 1024} KB。"
                                                          f"The body may have at most {MAX_BODY // 1024} KB.")
    try:
        async with platform.transaction(None) as conn:
            found = (await conn.execute(find, {"id": sid})).first()
        if found is None:
            return error_response(404, ErrorCode.NOT_FOUND, f"此 ID 不存在。No {kind} has this id.")
        source = Source(kind, sid, found.org_id, found.project_id)
        scope = source.scope
        try:
            return await _once(platform, scope, source, delivery, timestamp, signature, body, secret_of, work)
        except _Raced:
            async with platform.transaction(scope) as conn:
                first = await receipts.answer(conn, source.org_id, source.label, delivery)
            assert first is not None  # what _Raced means: it committed
            return JSONResponse({**first, "duplicate": True})
    except PlatformError as e:  # the domain's refusals and the platform's alike
        return coded(e)
    except DBAPIError as e:
        found_error = translate(e)
        if found_error is not None:
            return coded(found_error)
        log.exception("database error in an inbound request from a %s", kind)
        return error_response(500, ErrorCode.INTERNAL, "系统出错，已记录，请稍后重试。Unexpected error. It has been logged.")
    except Exception:  # a fault of ours still answers in the coded shape, never plain text
        log.exception("unexpected error in an inbound request from a %s", kind)
        return error_response(500, ErrorCode.INTERNAL, "系统出错，已记录，请稍后重试。Unexpected error. It has been logged.")


async def _body(request: Request) -> bytes | None:
    """The body, or None past MAX_BODY — counted as it arrives, before anything is verified, so a
    stranger cannot make us hold a large upload in memory."""
    length = request.headers.get("content-length")
    if length and (not length.isdigit() or int(length) > MAX_BODY):
        return None
    chunks, seen = [], 0
    async for chunk in request.stream():
        seen += len(chunk)
        if seen > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _has_nul(value: Any) -> bool:
    """PostgreSQL text cannot hold NUL: refused here, with a code, rather than by the database."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


async def _once(platform: Platform, scope: TenantScope, source: Source, delivery: str, timestamp: str, signature: str,
                body: bytes, secret_of: TextClause, work: Work) -> JSONResponse:
    async with platform.transaction(scope) as conn:
        row = (await conn.execute(secret_of, {"o": source.org_id, "id": source.id})).first()
        if row is None or row.secret_enc is None:
            return error_response(404, ErrorCode.NOT_FOUND, f"此 ID 不存在。No {source.kind} has this id.")
        secret = platform.cipher.decrypt(row.secret_enc)
        if not verify_webhook(secret, timestamp, body, signature):
            return error_response(401, ErrorCode.UNAUTHENTICATED,
                                  f"签名不匹配，或时间戳与我方时钟相差超过 {TOLERANCE_SECONDS // 60} 分钟。"
                                  f"The signature does not match, or the timestamp is more than {TOLERANCE_SECONDS // 60} "
                                  "minutes from our clock.")
        if not row.active:
            return error_response(403, ErrorCode.FORBIDDEN, f"此来源已停用。This {source.kind} is switched off.")
        await receipts.lock(conn, source.org_id, source.label, delivery)
        if (stored := await receipts.answer(conn, source.org_id, source.label, delivery)) is not None:
            return JSONResponse({**stored, "duplicate": True})
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError:
            return error_response(400, ErrorCode.BAD_REQUEST, "请求体须为 JSON。The body must be JSON.")
        if not isinstance(payload, dict):
            return error_response(400, ErrorCode.BAD_REQUEST, "请求体须为 JSON 对象。The body must be a JSON object.")
        if payload.get("id") != delivery:
            return error_response(400, ErrorCode.BAD_REQUEST,
                                  '请求体的 id 须与 X-Firstcall-Delivery 相同。'
                                  'The body\'s "id" must equal X-Firstcall-Delivery: the signature then covers the idempotency key.')
        if _has_nul(payload):
            return error_response(400, ErrorCode.VALIDATION, "文本不能包含 NUL 字符。Text may not contain NUL characters (\\u0000).")
        source.row = row
        answer = await work(conn, payload, source)
        if not await receipts.record(conn, source.org_id, source.label, delivery, answer):
            raise _Raced()
    # A work may say it found the same thing under another key (an integrator's transaction id).
    return JSONResponse({"duplicate": False, **answer})
