"""Login, refresh and logout. Refresh tokens rotate on every use; presenting a used one again
revokes its whole family, because only a thief would hold an old one."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from tenants.auth import throttle
from tenants.auth.errors import unauthenticated
from tenants.auth.passwords import verify_password
from tenants.auth.tokens import new_secret
from tenants.context import TenantScope
from tenants.platform import Platform
from tenants.principal import Grant, Principal
from tenants.roles import Role

BAD_LOGIN = "企业、用户名或密码有误。The organization, username or password is wrong."
BAD_REFRESH = "刷新令牌无效，请重新登录。The refresh token is not valid; log in again."


@dataclass(frozen=True)
class Session:
    access_token: str
    access_expires_at: int
    refresh_token: str
    principal: Principal


async def load_grants(conn: AsyncConnection, org_id: UUID, user_id: UUID) -> tuple[Grant, ...]:
    rows = await conn.execute(
        text("SELECT role, project_id FROM role_assignments WHERE org_id = :o AND user_id = :u ORDER BY role, project_id"),
        {"o": org_id, "u": user_id},
    )
    return tuple(Grant(Role(r.role), r.project_id) for r in rows)


async def _issue(platform: Platform, conn: AsyncConnection, principal: Principal, family_id: UUID) -> tuple[str, UUID, str, int]:
    token_id = uuid.uuid4()
    secret = new_secret()
    await conn.execute(
        text(
            "INSERT INTO refresh_tokens (org_id, id, user_id, family_id, secret_hash, expires_at) "
            "VALUES (:o, :id, :u, :f, :h, :exp)"
        ),
        {
            "o": principal.org_id, "id": token_id, "u": principal.id, "f": family_id,
            "h": platform.signer.hash_secret(secret),
            "exp": datetime.now(UTC) + timedelta(days=platform.settings.refresh_token_days),
        },
    )
    access, exp = platform.signer.issue_access(principal)
    refresh = f"rt1.{principal.org_id.hex}.{token_id.hex}.{secret}"
    return access, token_id, refresh, exp


async def login(platform: Platform, organization: str, username: str, password: str, address: str) -> Session:
    """`address`: where the attempt comes from, for the limits of tenants/auth/throttle.py."""
    guard = throttle.login_guard(platform.signer, organization, username, address)
    async with platform.transaction(None) as conn:
        wait = await throttle.attempt(conn, guard)
        org_id = (await conn.execute(text("SELECT org_id_for_slug(:s)"), {"s": organization.strip().lower()})).scalar()
    if wait:
        raise throttle.too_many(guard, wait)
    row = None
    if org_id is not None:
        async with platform.transaction(TenantScope(org_id, None, "auth")) as conn:
            row = (await conn.execute(
                text("SELECT id, password_hash, active FROM users WHERE org_id = :o AND username = :u"),
                {"o": org_id, "u": username.strip().lower()},
            )).first()
    # Verified even for unknown users, so timing does not tell which accounts exist.
    ok = await verify_password(row.password_hash if row else None, password)
    if row is None or not ok or not row.active:
        raise unauthenticated(BAD_LOGIN)
    assert org_id is not None  # a user is read only in a company found
    async with platform.transaction(TenantScope(org_id, None, f"user:{row.id}")) as conn:
        await throttle.succeeded(conn, guard)
        grants = await load_grants(conn, org_id, row.id)
        principal = Principal(kind="user", id=row.id, org_id=org_id, grants=grants)
        access, _, refresh, exp = await _issue(platform, conn, principal, uuid.uuid4())
    return Session(access, exp, refresh, principal)


def _parse_refresh(token: str) -> tuple[UUID, UUID, str]:
    try:
        version, org_hex, id_hex, secret = token.split(".")
        if version != "rt1" or not secret:
            raise ValueError
        return UUID(hex=org_hex), UUID(hex=id_hex), secret
    except ValueError:
        raise unauthenticated(BAD_REFRESH) from None


async def refresh(platform: Platform, token: str) -> Session:
    org_id, token_id, secret = _parse_refresh(token)
    async with platform.transaction(TenantScope(org_id, None, "auth")) as conn:
        row = (await conn.execute(
            text(
                "SELECT t.user_id, t.family_id, t.secret_hash, t.expires_at, t.revoked_at, u.active "
                "FROM refresh_tokens t JOIN users u ON u.org_id = t.org_id AND u.id = t.user_id "
                "WHERE t.org_id = :o AND t.id = :id FOR UPDATE OF t"
            ),
            {"o": org_id, "id": token_id},
        )).first()
        if row is None or not platform.signer.secrets_match(secret, row.secret_hash):
            raise unauthenticated(BAD_REFRESH)
        refused = True
        if row.revoked_at is not None or not row.active:
            await _revoke_family(conn, org_id, row.family_id)
        elif row.expires_at > datetime.now(UTC):
            refused = False
        if not refused:
            grants = await load_grants(conn, org_id, row.user_id)
            principal = Principal(kind="user", id=row.user_id, org_id=org_id, grants=grants)
            access, new_id, new_refresh, exp = await _issue(platform, conn, principal, row.family_id)
            await conn.execute(
                text("UPDATE refresh_tokens SET revoked_at = now(), replaced_by = :n WHERE org_id = :o AND id = :id"),
                {"n": new_id, "o": org_id, "id": token_id},
            )
    # Raised after the transaction, so revoking a stolen family is committed.
    if refused:
        raise unauthenticated(BAD_REFRESH)
    return Session(access, exp, new_refresh, principal)


async def _revoke_family(conn: AsyncConnection, org_id: UUID, family_id: UUID) -> None:
    await conn.execute(
        text("UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE org_id = :o AND family_id = :f"),
        {"o": org_id, "f": family_id},
    )


async def logout(platform: Platform, token: str) -> None:
    """Ends the session the refresh token belongs to. Unknown tokens are refused."""
    org_id, token_id, secret = _parse_refresh(token)
    async with platform.transaction(TenantScope(org_id, None, "auth")) as conn:
        row = (await conn.execute(
            text("SELECT family_id, secret_hash FROM refresh_tokens WHERE org_id = :o AND id = :id"),
            {"o": org_id, "id": token_id},
        )).first()
        if row is None or not platform.signer.secrets_match(secret, row.secret_hash):
            raise unauthenticated(BAD_REFRESH)
        await _revoke_family(conn, org_id, row.family_id)
