"""GraphQL over a websocket (graphql-transport-ws only): who is connected, the reads of each event
delivered, and the limits of a connection.

A connection authenticates once, in `connection_init` (`{"authorization": "Bearer …"}` or
`{"apiKey": "fc_…"}`, else the headers of the upgrade request), and is checked again at most every
RECHECK_SECONDS while events flow, so an expired token or a revoked key stops the feed. Only
subscriptions run here; queries and mutations stay on HTTP. Each delivered event is read in a
transaction of its own, in the subscriber's scope, which ends as soon as the event's result is
built."""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import GraphQLError
from starlette.websockets import WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.exceptions import (
    NonJsonMessageReceived,
    NonTextMessageReceived,
    WebSocketDisconnected,
)
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType

from api.auth import authenticate_headers
from api.context import Context
from api.dataloaders import Loaders
from api.errors import ErrorCode
from api.graphql.extensions import with_codes
from api.live.limits import MAX_MESSAGE, MAX_SUBSCRIPTIONS
from api.live.listener import LiveFeed
from api.request_db import RequestDb
from tenants.auth.errors import unauthenticated
from tenants.platform import Platform

RECHECK_SECONDS = 60.0


@dataclass
class _Reads:
    db: RequestDb
    loaders: Loaders


# The reads of the event being delivered. Each operation runs in its own task, and the
# subscription's generator runs in that task, so what it sets here is what its resolvers see.
_EVENT: contextvars.ContextVar[_Reads | None] = contextvars.ContextVar("firstcall_live_event", default=None)


class LiveContext(Context):
    """The context of one websocket connection, shared by its operations."""

    def __init__(self, platform: Platform, feed: LiveFeed, headers: Mapping[str, str], address: str) -> None:
        self.platform = platform
        self.address = address  # of the upgrade request, for the limits on failed API keys
        self.request = None
        self.principal = None
        self.auth_error = None
        self.feed = feed
        self.connection_params: dict[str, Any] = {}
        self.socket: LiveSocket | None = None
        self._upgrade_headers = {k: v for k, v in headers.items() if k in ("authorization", "x-api-key")}
        self._credentials: dict[str, str] = {}
        self._checked_at = 0.0

    @property
    def db(self) -> RequestDb:  # type: ignore[override]
        return self._reads().db

    @property
    def loaders(self) -> Loaders:  # type: ignore[override]
        return self._reads().loaders

    def _reads(self) -> _Reads:
        reads = _EVENT.get()
        if reads is None:
            raise RuntimeError("a live read outside of an event")
        return reads

    async def connect(self) -> None:
        """connection_init: credentials from its payload, else from the upgrade request."""
        params = self.connection_params
        given = {"authorization": params.get("authorization", params.get("Authorization")), "x-api-key": params.get("apiKey")}
        if any(v is not None and not isinstance(v, str) for v in given.values()):
            self._reject("BAD_REQUEST: authorization and apiKey must be strings")
        credentials = {k: v for k, v in given.items() if v} or self._upgrade_headers
        principal, error = await authenticate_headers(self.platform, credentials, self.address)
        if principal is None:
            code = error.code.value if error else ErrorCode.UNAUTHENTICATED.value
            self._reject(f"{code}: send a valid access token or API key in connection_init")
        self.principal, self._credentials, self._checked_at = principal, credentials, time.monotonic()

    def _reject(self, reason: str) -> None:
        if self.socket is not None:
            self.socket.close_reason = reason[:120]  # a close frame's reason holds 123 bytes
        raise ConnectionRejectionError({"reason": reason})

    async def recheck(self) -> None:
        """The connection's credentials are still good (token not expired, key not revoked)."""
        if time.monotonic() - self._checked_at < RECHECK_SECONDS:
            return
        principal, error = await authenticate_headers(self.platform, self._credentials, self.address)
        if principal is None:
            raise error or unauthenticated("连接的凭据已失效，请重新连接。The connection's credentials are no longer valid; connect again.")
        self.principal, self._checked_at = principal, time.monotonic()


@contextlib.asynccontextmanager
async def event_reads(ctx: LiveContext) -> AsyncIterator[RequestDb]:
    """A read transaction in the subscriber's scope, for one event (or one check before the first)."""
    db = RequestDb(ctx.platform, ctx.require().scope)
    token = _EVENT.set(_Reads(db, Loaders(db)))
    try:
        yield db
    finally:
        try:
            _EVENT.reset(token)
        except ValueError:  # closed from another context (the connection is going away)
            _EVENT.set(None)
        await db.close()


async def _end_event_reads() -> None:
    reads = _EVENT.get()
    if reads is not None:
        await reads.db.close()  # closing twice is harmless: the generator's exit closes it again


class LiveSocket(ASGIWebSocketAdapter):
    """Text frames both ways (orjson gives bytes, which graphql-transport-ws clients refuse) and a
    limit on what a client may send."""

    close_reason: str | None = None

    async def iter_json(self, *, ignore_parsing_errors: bool = False) -> AsyncIterator[object]:
        while self.ws.application_state != WebSocketState.DISCONNECTED:
            try:
                message = await self.ws.receive()
            except WebSocketDisconnect:
                return
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text is None:
                raise NonTextMessageReceived
            if len(text) > MAX_MESSAGE:
                await self.close(1009, f"A message may be at most {MAX_MESSAGE} characters.")
                return
            try:
                message = orjson.loads(text)
            except orjson.JSONDecodeError as e:
                if not ignore_parsing_errors:
                    raise NonJsonMessageReceived from e
                continue
            # The handler reads fields of what it is given: anything but an object would escape
            # it as a TypeError and close the socket with 1011 and no code for the client.
            if not isinstance(message, dict):
                await self.close(4400, "A message must be a JSON object.")
                return
            yield message

    async def send_json(self, message: Mapping[str, object]) -> None:
        try:
            await self.ws.send_text(orjson.dumps(message).decode())
        except WebSocketDisconnect:
            raise WebSocketDisconnected from None

    async def close(self, code: int, reason: str) -> None:
        if self.ws.application_state == WebSocketState.DISCONNECTED:
            return
        await self.ws.close(code=code, reason=self.close_reason if code == 4403 and self.close_reason else reason)


class _SubscriptionsOnly:
    def __init__(self, schema: Any) -> None:
        self._schema = schema

    async def stream(self, query: str, **kwargs: Any) -> Any:
        return await self._schema.stream(query, allowed_operation_types=(OperationType.SUBSCRIPTION,), **kwargs)


def _coded(errors: list[GraphQLError]) -> list[GraphQLError]:
    out = []
    for e in errors:
        if isinstance(e.original_error, InvalidOperationTypeError):
            e = GraphQLError("此连接只用于订阅，查询和变更请用 HTTP POST 发送。"
                             "Only subscriptions run over the websocket; send queries and mutations by HTTP POST.",
                             extensions={"code": ErrorCode.BAD_REQUEST.value})
        out.append(e)
    return with_codes(out)


def _error(operation_id: str, code: ErrorCode, message: str) -> dict:
    return {"id": operation_id, "type": "error", "payload": [{"message": message, "extensions": {"code": code.value}}]}


class LiveHandler(BaseGraphQLTransportWSHandler):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.schema = _SubscriptionsOnly(self.schema)  # type: ignore[assignment]
        if isinstance(self.context, LiveContext) and isinstance(self.websocket, LiveSocket):
            self.context.socket = self.websocket

    async def handle_subscribe(self, message: Any) -> None:
        if not self.connection_acknowledged:
            return await super().handle_subscribe(message)  # closes with 4401
        op_id, payload = message.get("id"), message.get("payload")
        if (not isinstance(op_id, str) or not 1 <= len(op_id) <= 100 or not isinstance(payload, dict)
                or not isinstance(payload.get("query"), str) or not isinstance(payload.get("variables"), dict | None)
                or not isinstance(payload.get("operationName"), str | None)):
            return await self.websocket.close(4400, "A subscribe message needs an id and a payload with a query.")
        if op_id not in self.operations and len(self.operations) >= MAX_SUBSCRIPTIONS:
            return await self.send_message(_error(op_id, ErrorCode.RATE_LIMITED,  # type: ignore[arg-type]
                                                  f"每个连接最多 {MAX_SUBSCRIPTIONS} 个订阅。"
                                                  f"At most {MAX_SUBSCRIPTIONS} subscriptions per connection."))
        await super().handle_subscribe(message)

    async def handle_complete(self, message: Any) -> None:
        if not isinstance(message.get("id"), str):  # an unhashable id would fail the lookup
            return await self.websocket.close(4400, "A complete message needs a string id.")
        await super().handle_complete(message)

    async def _send_result_stream(self, operation: Any, result_source: Any) -> None:
        async def coded() -> AsyncIterator[Any]:
            try:
                async for result in result_source:
                    # The event's result is built: its transaction ends before the (maybe slow) send.
                    await _end_event_reads()
                    if result.errors:
                        result.errors = _coded(result.errors)
                    yield result
            except GraphQLError as e:  # raised by a parse hook (the token limit), before any result
                yield PreExecutionError(data=None, errors=_coded([e]))

        await super()._send_result_stream(operation, coded())
