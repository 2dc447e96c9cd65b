"""The /graphql endpoint: strawberry's ASGI view with our context, request limits and JSON errors
with codes for everything strawberry would answer in plain text."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from pathlib import Path

import orjson
from cross_web import HTTPException
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from api.auth import authenticate
from api.client_address import request_address
from api.console import DIST, html_page
from api.context import Context
from api.errors import ErrorCode
from api.graphql.compiled.document import plan_for
from api.graphql.compiled.execute import run_plan
from api.graphql.extensions import with_codes
from api.graphql.persisted import Manifest, expand
from api.live.listener import LiveFeed
from api.live.overview_versions import VersionWatch
from api.live.limits import MAX_SUBSCRIPTIONS
from api.live.websocket import LiveContext, LiveHandler, LiveSocket
from tenants.db_errors import unavailable
from tenants.platform import Platform

log = logging.getLogger("firstcall.http")
MAX_BODY = 1_048_576 + 65_536  # a 1 MB text field plus the document around it


class BodyTooLarge(Exception):
    """The body grew past MAX_BODY while it was being read."""


def _limited(receive: Receive) -> Receive:
    """Counts the body as it arrives: a chunked upload has no Content-Length to check first."""
    seen = 0

    async def receive_limited() -> dict:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > MAX_BODY:
                raise BodyTooLarge
        return message

    return receive_limited


def app_dsn(platform: Platform) -> str:
    """The application role's address for asyncpg's own connections (the LISTEN ones)."""
    return platform.urls.app.set(drivername="postgresql").render_as_string(hide_password=False)


def error_response(status: int, code: ErrorCode, message: str) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message, "extensions": {"code": code.value}}]}, status_code=status)


def _compiled_response(request: Request, body: bytes, etag: str | None) -> Response:
    """The compiled answer; a kept overview carries its tag (private: it is this caller's), and a
    caller that sends it back in If-None-Match while it still holds gets 304 and no body — the wall
    screens that poll the overview then cost a version check and a header."""
    if etag is None:
        return Response(body, media_type="application/json")
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if etag in (t.strip().removeprefix("W/") for t in request.headers.get("if-none-match", "").split(",")):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


def _as_result(outcome: ExecutionResult | BaseException) -> ExecutionResult:
    """One operation of a batch: its result, or its refusal as a coded error of its own."""
    if isinstance(outcome, ExecutionResult):
        return outcome
    if isinstance(outcome, HTTPException):
        code, message = ErrorCode.BAD_REQUEST, outcome.reason
    elif isinstance(outcome, Exception) and (busy := unavailable(outcome)) is not None:
        code, message = ErrorCode(busy.code.value), busy.message
    elif isinstance(outcome, Exception):
        log.error("a batched operation failed", exc_info=outcome)
        code, message = ErrorCode.INTERNAL, "Unexpected error. It has been logged."
    else:
        raise outcome
    return ExecutionResult(data=None, errors=[GraphQLError(message, extensions={"code": code.value})])


class GraphQLView(GraphQL):
    graphql_transport_ws_handler_class = LiveHandler
    websocket_adapter_class = LiveSocket

    def __init__(self, schema, platform: Platform, *, compiled: bool = True, console: Path = DIST) -> None:
        super().__init__(schema, graphql_ide="graphiql", allow_queries_via_get=True, multipart_uploads_enabled=False,
                         subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,), connection_init_wait_timeout=timedelta(seconds=10),
                         max_subscriptions_per_connection=MAX_SUBSCRIPTIONS)
        self.platform = platform
        self.compiled = compiled  # off only in tests that compare both paths
        self.console = console  # the console's build: its trusted documents and GraphiQL page
        self.documents = Manifest(console / "persisted-documents.json")
        self.live = LiveFeed(app_dsn(platform))
        self.versions = VersionWatch()  # started by the application's lifespan (api/app.py)

    async def render_graphql_ide(self, request: Request) -> Response:
        return html_page(self.console, "graphiql.html")  # built with the console: nothing from a CDN

    async def get_context(self, request, response) -> LiveContext:  # type: ignore[override]
        # Only websockets get here: HTTP requests pass the context they built in _respond.
        return LiveContext(self.platform, self.live, request.headers, request_address(request, self.platform.settings))

    async def on_ws_connect(self, context: LiveContext) -> UnsetType:  # type: ignore[override]
        await context.connect()
        return UNSET

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        if result.errors:
            result.errors = with_codes(result.errors)
        return await super().process_result(request, result)

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    def parse_json(self, data: str | bytes) -> object:
        # orjson refuses invalid UTF-8, unpaired surrogates (which PostgreSQL could not store) and
        # nesting past 1,024 levels, each with a reason worth passing on.
        try:
            parsed = orjson.loads(data)
        except orjson.JSONDecodeError as e:
            raise HTTPException(400, f"The request body is not valid JSON: {e}.") from None
        if isinstance(parsed, dict) or (isinstance(parsed, list) and all(isinstance(item, dict) for item in parsed)):
            return parsed
        raise HTTPException(400, "Send a JSON object with `query` (or a list of such objects for a batch).")

    async def parse_http_body(self, request):  # type: ignore[no-untyped-def]
        data = await super().parse_http_body(request)
        items = data if isinstance(data, list) else [data]
        if not items:
            raise HTTPException(400, "The batch is empty; send at least one operation.")
        for item in items:
            for name, value, kinds in (("query", item.query, str), ("variables", item.variables, dict),
                                       ("operationName", item.operation_name, str), ("extensions", item.extensions, dict)):
                if value is not None and not isinstance(value, kinds):
                    kind = "a string" if kinds is str else "an object"
                    raise HTTPException(400, f"The operation's `{name}` must be {kind} or null.")
        return data

    async def execute_operation(self, request, request_adapter, request_data, context, root_value, sub_response):  # type: ignore[override]
        if not isinstance(request_data, list):
            return await super().execute_operation(request, request_adapter, request_data, context, root_value, sub_response)
        # strawberry gathers a batch without return_exceptions: one operation refused with an
        # HTTPException (an unknown operationName, a mutation over GET) would fail the batch and
        # leave the others running while the view closes their transaction.
        results = await asyncio.gather(*(self.execute_single(request, request_adapter, sub_response, context, root_value, data)
                                         for data in request_data), return_exceptions=True)
        return [_as_result(r) for r in results]

    async def _run_compiled(self, request: Request, context: Context) -> bytes | None:
        # The body read as strawberry reads it, so a body it refuses (content type, the types of
        # its members) is refused alike; the body itself is read once and kept by the request.
        try:
            data = await self.parse_http_body(self.request_adapter_class(request))
        except HTTPException:
            return None  # strawberry answers with the coded 400
        if not isinstance(data, GraphQLRequestData) or data.protocol != "http" or data.query is None:
            return None
        plan = plan_for(data.query)
        if plan is None:
            return None
        try:
            return await run_plan(plan, data.variables, data.operation_name, context)
        except Exception as e:
            # What strawberry answers when a resolver fails: data null, one coded error.
            if (busy := unavailable(e)) is not None:
                return orjson.dumps({"data": None, "errors": [{"message": busy.message, "path": [plan.fields[0].key],
                                                              "extensions": {"code": busy.code.value, "retryAfter": busy.retry_after}}]})
            log.exception("compiled query failed")
            return orjson.dumps({"data": None, "errors": [{"message": "系统出错，已记录，请稍后重试。"
                                                                     "Unexpected error. It has been logged.",
                                                          "path": [plan.fields[0].key], "extensions": {"code": "INTERNAL"}}]})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await super().__call__(scope, receive, send)
        request = Request(scope, receive=_limited(receive))
        contexts: list[Context] = []
        try:
            response = await self._respond(request, contexts)
            await response(scope, receive, send)
        finally:
            # After the answer has gone: its read transaction only ends (a rollback, nothing to
            # keep), so the caller need not wait one more round trip to the database for it.
            # Every statement has finished by now; the connection returns to the pool after it.
            for context in contexts:
                await context.db.close()

    async def _respond(self, request: Request, contexts: list[Context]) -> Response:
        length = request.headers.get("content-length")
        if length and (not length.isdigit() or int(length) > MAX_BODY):
            return error_response(413, ErrorCode.BAD_REQUEST, f"请求体最大 {MAX_BODY} 字节。"
                                                              f"The request body may be at most {MAX_BODY} bytes.")
        context: Context | None = None
        try:
            if (unknown := await expand(request, self.documents)) is not None:
                return unknown
            principal, auth_error = await authenticate(self.platform, request)
            context = Context(platform=self.platform, request=request, principal=principal, auth_error=auth_error,
                              versions=self.versions)
            contexts.append(context)
            if self.compiled and principal is not None and request.method == "POST":
                body = await self._run_compiled(request, context)
                if body is not None:
                    return _compiled_response(request, body, context.etag)
            return await self.run(request, context=context)
        except HTTPException as e:
            return error_response(e.status_code, ErrorCode.BAD_REQUEST, e.reason)
        except BodyTooLarge:
            return error_response(413, ErrorCode.BAD_REQUEST, f"请求体最大 {MAX_BODY} 字节。"
                                                              f"The request body may be at most {MAX_BODY} bytes.")
        except Exception as e:
            if (busy := unavailable(e)) is not None:  # e.g. opening the request's transaction
                return error_response(503, ErrorCode(busy.code.value), busy.message)
            log.exception("unhandled error in /graphql")
            return error_response(500, ErrorCode.INTERNAL, "系统出错，已记录，请稍后重试。Unexpected error. It has been logged.")
