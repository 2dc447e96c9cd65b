"""Integrator API keys: `fc_<prefix>.<secret>`. The prefix is shown and searchable; the secret is
stored only as a keyed hash. Keys are scoped to a company and optionally some of its projects.
Making and revoking one is a directory use case (domain/directory/service.py)."""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from tenants.auth import throttle
from tenants.auth.errors import unauthenticated
from tenants.auth.tokens import new_secret
from tenants.platform import Platform
from tenants.principal import Principal
from tenants.roles import API_KEY_READ, API_KEY_READ_WRITE, Permission

KEY_PATTERN = re.compile(r"^(fc_[a-z0-9]{10})\.([A-Za-z0-9_-]{16,64})$")
_BAD_KEY = "API 密钥无效、已过期或已被吊销。The API key is not valid, has expired or was revoked."
_ENTER_ORG = text("SELECT set_config('app.org_id', :o, true), set_config('app.project_ids', '*', true)")
_ORGS = text(f"SELECT ARRAY(SELECT org_ids_for_key_prefix(:p)) AS org_ids, {throttle.WAIT_SQL} AS wait")
_KEY = text(
    "SELECT id, secret_hash, project_ids, access, permissions, expires_at, revoked_at, last_used_at "
    "FROM api_keys WHERE org_id = :o AND prefix = :p"
)


@dataclass(frozen=True)
class NewKey:
    prefix: str
    secret: str

    @property
    def token(self) -> str:
        return f"{self.prefix}.{self.secret}"


def generate_key() -> NewKey:
    alphabet = string.ascii_lowercase + string.digits
    return NewKey("fc_" + "".join(secrets.choice(alphabet) for _ in range(10)), new_secret())


def looks_like_key(token: str) -> bool:
    return token.startswith("fc_")


async def authenticate_key(platform: Platform, token: str, address: str) -> Principal:
    """`address`: where the request comes from. Failed attempts are limited per source address, per
    (prefix, address) and per prefix (tenants/auth/throttle.py); a limited source is refused before
    its key is looked at, while a right key from elsewhere still works — a stranger hammering a
    prefix cannot lock its integrator out, and nobody guesses a 192-bit secret."""
    match = KEY_PATTERN.match(token)
    prefix, secret = match.groups() if match else ("", "")
    guard = throttle.key_guard(platform.signer, prefix, address)
    principal, wait = None, 0
    # One transaction: find the company by prefix, then enter its scope to read the key.
    async with platform.transaction(None) as conn:
        found = (await conn.execute(_ORGS, {"p": prefix, **throttle.wait_params(guard)})).one()
        wait = found.wait
        for org_id in found.org_ids if not wait and match else ():  # one in practice; prefixes are random
            principal = await _key_principal(platform, conn, org_id, prefix, secret)
            if principal is not None:
                break
        if principal is None and not wait:
            wait = await throttle.attempt(conn, guard)  # counted and committed, then refused
    if principal is not None:
        return principal
    if wait:
        raise throttle.too_many(guard, wait)
    raise unauthenticated(_BAD_KEY)


async def _key_principal(platform: Platform, conn: AsyncConnection, org_id: UUID, prefix: str, secret: str) -> Principal | None:
    await conn.execute(_ENTER_ORG, {"o": str(org_id)})
    row = (await conn.execute(_KEY, {"o": org_id, "p": prefix})).first()
    if row is None or not platform.signer.secrets_match(secret, row.secret_hash):
        return None
    now = datetime.now(UTC)
    if row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        return None
    # Last-used time to the minute: enough for audits, without a write per request.
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        await conn.execute(text("UPDATE api_keys SET last_used_at = now() WHERE org_id = :o AND id = :id"),
                           {"o": org_id, "id": row.id})
    return Principal(
        kind="api_key",
        id=row.id,
        org_id=org_id,
        key_permissions=key_permissions(row.access, row.permissions),
        key_projects=frozenset(row.project_ids) if row.project_ids is not None else None,
    )


def key_permissions(access: str, granted: list[str] | None) -> frozenset[Permission]:
    """A key with a grant reads and does exactly what it was granted; one without, what its access gives."""
    if granted is not None:
        return API_KEY_READ | {Permission(p) for p in granted}
    return API_KEY_READ_WRITE if access == "read_write" else API_KEY_READ
