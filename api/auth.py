"""Who is calling: a bearer access token (users) or an API key (integrators)."""

from __future__ import annotations

from starlette.requests import HTTPConnection

from domain.errors import DomainError, unauthenticated
from tenants.auth.api_keys import authenticate_key, looks_like_key
from tenants.platform import Platform
from tenants.principal import Principal


def credential(conn: HTTPConnection) -> str | None:
    if key := conn.headers.get("x-api-key"):
        return key.strip()
    header = conn.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return "\0malformed"
    return token.strip()


async def authenticate(platform: Platform, conn: HTTPConnection) -> tuple[Principal | None, DomainError | None]:
    token = credential(conn)
    if token is None:
        return None, None
    try:
        if token == "\0malformed" or len(token) > 4096:
            raise unauthenticated("Send credentials as 'Authorization: Bearer <token>' or 'X-Api-Key: <key>'.")
        if looks_like_key(token):
            return await authenticate_key(platform, token), None
        return platform.signer.read_access(token), None
    except DomainError as e:
        return None, e
