"""Security headers on every HTTP answer, each only where the answer did not set its own (a print
page keeps its stricter policy, a static file server its Cache-Control):

- `X-Content-Type-Options: nosniff` everywhere: a JSON answer is never run as a script;
- `Cache-Control: no-store` on answers to requests that carried credentials: what one caller may
  read stays out of shared and browser caches;
- on HTML (GraphiQL, the console): a Content-Security-Policy that allows only our own scripts and
  connections, and no framing or referrer."""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                           "font-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; "
                           "form-action 'self'")
ALWAYS = {"X-Content-Type-Options": "nosniff"}
AUTHENTICATED = {"Cache-Control": "no-store"}
HTML = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"}


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request_headers = Headers(scope=scope)
        authenticated = "authorization" in request_headers or "x-api-key" in request_headers

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                wanted = dict(ALWAYS)
                if authenticated:
                    wanted.update(AUTHENTICATED)
                if headers.get("content-type", "").startswith("text/html"):
                    wanted.update(HTML)
                for name, value in wanted.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
