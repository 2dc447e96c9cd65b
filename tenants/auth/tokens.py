"""Short-lived signed tokens (JWT, HS256) — a user's access token, a resident's token (`typ`
tells them apart, and each reader refuses the other) — and opaque secrets for refresh tokens and keys."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
import uuid
from typing import Any
from uuid import UUID

import jwt

from tenants.auth.errors import token_expired, unauthenticated
from tenants.principal import Grant, Principal
from tenants.roles import Permission, Role

ISSUER = "firstcall"
# Verified access tokens, kept until they expire: a client sends the same token with every
# request, and checking its signature and claims again each time costs more than the compiled
# query it authorises. Keyed by the whole token, so nothing unverified can hit.
VERIFIED_CACHE = 4096
EXPIRED = "访问令牌已过期，请刷新或重新登录。The access token has expired; refresh it or log in again."


class TokenSigner:
    def __init__(self, secret_key: bytes, access_minutes: int, *, resident_minutes: int = 15) -> None:
        self._key = hashlib.sha256(b"firstcall:jwt:" + secret_key).digest()
        self._secret_hash_key = hashlib.sha256(b"firstcall:secret-hash:" + secret_key).digest()
        self.access_seconds = access_minutes * 60
        self.resident_seconds = resident_minutes * 60
        self._verified: dict[str, tuple[Principal, int]] = {}

    def typ(self, token: str) -> str | None:
        """The `typ` claim of a token whose signature holds (expiry aside); None otherwise. Only
        picks the reader: each reader verifies the token again in full."""
        hit = self._verified.get(token)
        if hit is not None:
            return "resident" if hit[0].kind == "resident" else "access"
        try:
            claims = jwt.decode(token, self._key, algorithms=["HS256"], issuer=ISSUER, options={"verify_exp": False})
        except jwt.PyJWTError:
            return None
        typ = claims.get("typ")
        return typ if isinstance(typ, str) else None

    def issue_resident(self, resident_id: UUID, org_id: UUID, project_id: UUID, key_id: UUID, channel: str) -> tuple[str, int]:
        """A resident's token: one person of one project, signed in by one API key."""
        now = int(time.time())
        exp = now + self.resident_seconds
        claims = {"iss": ISSUER, "typ": "resident", "sub": str(resident_id), "org": str(org_id), "prj": str(project_id),
                  "key": str(key_id), "ch": channel, "iat": now, "exp": exp, "jti": uuid.uuid4().hex}
        return jwt.encode(claims, self._key, algorithm="HS256"), exp

    def read_resident(self, token: str) -> Principal:
        return self._read(token, "resident")

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
        return self._read(token, "access")

    def _read(self, token: str, typ: str) -> Principal:
        hit = self._verified.get(token)
        if hit is not None:
            if (hit[0].kind == "resident") != (typ == "resident"):
                raise unauthenticated("访问令牌无效。The access token is not valid.")
            if time.time() < hit[1]:
                return hit[0]
            del self._verified[token]
            raise token_expired(EXPIRED)
        principal, exp = self._verify(token, typ)
        if len(self._verified) >= VERIFIED_CACHE:
            self._verified.clear()  # simpler than LRU; a full cache means many users, each refills on its next call
        self._verified[token] = (principal, exp)
        return principal

    def _verify(self, token: str, typ: str) -> tuple[Principal, int]:
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
            if claims["typ"] != typ:
                raise ValueError
            if typ == "resident":
                return _resident(claims), int(claims["exp"])
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


def _resident(claims: dict[str, Any]) -> Principal:
    if claims["ch"] not in ("app", "wechat"):
        raise ValueError
    return Principal(kind="resident", id=UUID(claims["sub"]), org_id=UUID(claims["org"]),
                     key_projects=frozenset({UUID(claims["prj"])}), key_permissions=frozenset({Permission.RESIDENT_SELF}),
                     resident_key_id=UUID(claims["key"]), resident_channel=claims["ch"])


def new_secret() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(24)).decode().rstrip("=")
