"""Integrator API keys: `fc_<prefix>.<secret>`. The prefix is shown and searchable; the secret is
stored only as a keyed hash. Keys are scoped to a company and optionally some of its projects."""

from __future__ import annotations

import re
import secrets
import string
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import text

from tenants.errors import invalid, not_found
from tenants.auth import throttle
from tenants.auth.errors import unauthenticated
from tenants.auth.tokens import new_secret
from tenants.platform import Platform
from tenants.principal import Principal
from tenants.provisioning import check_text
from tenants.records import record_change
from tenants.roles import API_KEY_GRANTABLE, API_KEY_READ, API_KEY_READ_WRITE, Permission

KEY_PATTERN = re.compile(r"^(fc_[a-z0-9]{10})\.([A-Za-z0-9_-]{16,64})$")
_BAD_KEY = "The API key is not valid, has expired or was revoked."
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


async def _key_principal(platform: Platform, conn, org_id: UUID, prefix: str, secret: str) -> Principal | None:
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


def check_grant(access: str, permissions: list[Permission] | None) -> list[str] | None:
    if permissions is None:
        return None
    if access != "read_write":
        raise invalid("A key granted permissions writes: give it access READ_WRITE.", "access")
    if not permissions:
        raise invalid("permissions must name at least one, or be left out for what the access gives.", "permissions")
    refused = sorted(p.value for p in set(permissions) - API_KEY_GRANTABLE)
    if refused:
        raise invalid(f"A key cannot be granted {', '.join(refused)}; grantable: "
                      f"{', '.join(sorted(p.value for p in API_KEY_GRANTABLE))}.", "permissions")
    return sorted(p.value for p in set(permissions))


async def create_key(
    conn, signer, *, org_id: UUID, actor: str, created_by: UUID | None, name: str, access: str,
    project_ids: list[UUID] | None, expires_at: datetime | None, permissions: list[Permission] | None = None,
) -> tuple[UUID, NewKey]:
    name = check_text(name, "name", max_len=100)
    if access not in ("read", "read_write"):
        raise invalid("access must be read or read_write.", "access")
    granted = check_grant(access, permissions)
    if expires_at is not None and expires_at <= datetime.now(UTC):
        raise invalid("expiresAt must be in the future.", "expiresAt")
    if project_ids is not None:
        if not project_ids:
            raise invalid("projectIds must name at least one project, or be left out for all.", "projectIds")
        found = (await conn.execute(
            text("SELECT count(*) FROM projects WHERE org_id = :o AND id = ANY(:ids)"),
            {"o": org_id, "ids": list(set(project_ids))},
        )).scalar()
        if found != len(set(project_ids)):
            raise not_found("One of the projects", "projectIds")
    key = generate_key()
    key_id = uuid.uuid4()
    await conn.execute(
        text(
            "INSERT INTO api_keys (org_id, id, prefix, secret_hash, name, project_ids, access, permissions, expires_at, created_by) "
            "VALUES (:o, :id, :p, :h, :n, :ids, :a, :perms, :exp, :by)"
        ),
        {"o": org_id, "id": key_id, "p": key.prefix, "h": signer.hash_secret(key.secret), "n": name,
         "ids": sorted(set(project_ids)) if project_ids is not None else None, "a": access, "perms": granted, "exp": expires_at,
         "by": created_by},
    )
    await record_change(conn, org_id=org_id, project_id=None, actor=actor, topic="api_key.created",
                        entity="api_key", entity_id=key_id, data={"prefix": key.prefix, "access": access, "permissions": granted})
    return key_id, key


async def revoke_key(conn, *, org_id: UUID, actor: str, key_id: UUID) -> None:
    row = (await conn.execute(
        text("UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE org_id = :o AND id = :id RETURNING prefix"),
        {"o": org_id, "id": key_id},
    )).first()
    if row is None:
        raise not_found("The API key", "id")
    await record_change(conn, org_id=org_id, project_id=None, actor=actor, topic="api_key.revoked",
                        entity="api_key", entity_id=key_id, data={"prefix": row.prefix})
