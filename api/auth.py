"""Who is calling: a bearer access token (users), a resident token (owner apps; counted against
the resident's request limit) or an API key (integrators)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from starlette.requests import HTTPConnection

from api.client_address import request_address
from domain.errors import DomainError
from domain.residents import quota
from tenants.auth.errors import AuthError, rate_limited, unauthenticated
from tenants.auth.api_keys import authenticate_key, looks_like_key
from tenants.platform import Platform
from tenants.principal import Principal


def credential(conn: HTTPConnection) -> str | None:
    return credential_from(conn.headers)


def credential_from(headers: Mapping[str, str]) -> str | None:
    if key := headers.get("x-api-key"):
        return key.strip()
    header = headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return "\0malformed"
    return token.strip()


async def authenticate(platform: Platform, conn: HTTPConnection) -> tuple[Principal | None, AuthError | None]:
    # Worked out only for an API key, the one caller that counts by address: parsing it (and the
    # forwarded chain) for every bearer token cost more than checking the token's signature.
    return await authenticate_headers(platform, conn.headers, lambda: request_address(conn, platform.settings))


async def authenticate_headers(platform: Platform, headers: Mapping[str, str],
                               address: str | Callable[[], str]) -> tuple[Principal | None, AuthError | None]:
    """The same check from any mapping of lower-case header names (a websocket's connection_init);
    `address` is where the request comes from (api/client_address.py), or how to find it out."""
    token = credential_from(headers)
    if token is None:
        return None, None
    try:
        if token == "\0malformed" or len(token) > 4096:
            raise unauthenticated("请提供登录凭据：Bearer 令牌或 API 密钥。"
                                  "Send credentials as 'Authorization: Bearer <token>' or 'X-Api-Key: <key>'.")
        if looks_like_key(token):
            return await authenticate_key(platform, token, address if isinstance(address, str) else address()), None
        if platform.signer.typ(token) == "resident":
            return await _resident(platform, token), None
        return platform.signer.read_access(token), None
    except AuthError as e:
        return None, e


async def _resident(platform: Platform, token: str) -> Principal:
    principal = platform.signer.read_resident(token)
    try:
        await quota.count_request(platform, principal.scope, principal.id, principal.org_id)
    except DomainError as e:
        raise rate_limited(e.message, e.retry_after or 1) from None
    return principal
