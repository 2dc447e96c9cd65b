"""Short-lived signed access tokens (JWT, HS256) and opaque secrets for refresh tokens and keys."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
import uuid
from uuid import UUID

import jwt

from tenants.auth.errors import token_expired, unauthenticated
from tenants.principal import Grant, Principal
from tenants.roles import Role

ISSUER = "firstcall"
# Verified access tokens, kept until they expire: a client sends the same token with every
# request, and checking its signature and claims again each time costs more than the compiled
# query it authorises. Keyed by the whole token, so nothing unverified can hit.
VERIFIED_CACHE = 4096
EXPIRED = "访问令牌已过期，请刷新或重新登录。The access token has expired; refresh it or log in again."


class TokenSigner:
    def __init__(self, secret_key: bytes, access_minutes: int) -> None:
        self._key = hashlib.sha256(b"firstcall:jwt:" + secret_key).digest()
        self._secret_hash_key = hashlib.sha256(b"firstcall:secret-hash:" + secret_key).digest()
        self.access_seconds = access_minutes * 60
        self._verified: dict[str, tuple[Principal, int]] = {}

    def issue_access(self, principal: Principal) -> tuple[str, int]:
        now = int(time.time())
        exp = now + self.access_seconds
        claims = {
            "iss": ISSUER,
            "typ": "access",
            "sub": str(principal.id),
            "org": str(principal.org_id),
            "grants": [[g.role.value, str(g.project_id) if g.project_id else None] for g in principal.grants],
            "iat": now,
            "exp": exp,
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(claims, self._key, algorithm="HS256"), exp

    def read_access(self, token: str) -> Principal:
        hit = self._verified.get(token)
        if hit is not None:
            if time.time() < hit[1]:
                return hit[0]
            del self._verified[token]
            raise token_expired(EXPIRED)
        principal, exp = self._verify(token)
        if len(self._verified) >= VERIFIED_CACHE:
            self._verified.clear()  # simpler than LRU; a full cache means many users, each refills on its next call
        self._verified[token] = (principal, exp)
        return principal

    def _verify(self, token: str) -> tuple[Principal, int]:
        try:
            claims = jwt.decode(
                token, self._key, algorithms=["HS256"], issuer=ISSUER,
                options={"require": ["exp", "iat", "sub", "org", "typ"]},
            )
        except jwt.ExpiredSignatureError:
            raise token_expired(EXPIRED) from None
        except jwt.PyJWTError:
            raise unauthenticated("访问令牌无效。The access token is not valid.") from None
        try:
            if claims["typ"] != "access":
                raise ValueError
            grants = tuple(
                Grant(Role(role), UUID(project) if project else None) for role, project in claims.get("grants", [])
            )
            principal = Principal(kind="user", id=UUID(claims["sub"]), org_id=UUID(claims["org"]), grants=grants)
            return principal, int(claims["exp"])
        except (ValueError, TypeError, KeyError):
            raise unauthenticated("访问令牌无效。The access token is not valid.") from None

    def hash_secret(self, secret: str) -> bytes:
        return hmac.new(self._secret_hash_key, secret.encode(), hashlib.sha256).digest()

    def secrets_match(self, secret: str, stored_hash: bytes) -> bool:
        return hmac.compare_digest(self.hash_secret(secret), bytes(stored_hash))


def new_secret() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(24)).decode().rstrip("=")
