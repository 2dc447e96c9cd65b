"""`firstcall migrate`: create the three roles when missing, then upgrade to the newest revision.
Safe to run again, and from several processes at once.

The resident role (docs/resident-services.md §2.3) has no login: the application role is granted
it and switches to it for a resident's transaction. The application role is NOINHERIT, so it never
holds the resident role's privileges, and no policy written for one applies to the other."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
from alembic import command
from alembic.config import Config
from sqlalchemy import URL

from tenants.settings import APP_ROLE, OWNER_ROLE, RESIDENT_ROLE

HERE = Path(__file__).resolve().parent


def _dsn(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


async def ensure_roles(owner_url: URL, app_password: str) -> None:
    conn = await asyncpg.connect(_dsn(owner_url))
    try:
        # Serialise role creation across concurrent migrators of the same cluster.
        await conn.execute("SELECT pg_advisory_lock(874120001)")
        try:
            await _ensure_roles(conn, app_password)
        finally:
            await conn.execute("SELECT pg_advisory_unlock(874120001)")
    finally:
        await conn.close()


async def _ensure_roles(conn: asyncpg.Connection, app_password: str) -> None:
    me = await conn.fetchrow("SELECT current_user AS name, rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user")
    roles = {r["rolname"]: r for r in await conn.fetch(
        "SELECT rolname, rolinherit FROM pg_roles WHERE rolname = ANY($1::text[])", [OWNER_ROLE, APP_ROLE, RESIDENT_ROLE])}
    existing = set(roles)
    can_create = me["rolsuper"] or me["rolcreaterole"]
    if OWNER_ROLE not in existing:
        if not can_create:
            raise RuntimeError(f"role {OWNER_ROLE} is missing and {me['name']} may not create roles")
        await conn.execute(f"CREATE ROLE {OWNER_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS")
    if APP_ROLE not in existing:
        if not can_create:
            raise RuntimeError(f"role {APP_ROLE} is missing and {me['name']} may not create roles")
        await conn.execute(
            f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT "
            f"PASSWORD {_literal(app_password)}"
        )
    elif can_create:
        await conn.execute(f"ALTER ROLE {APP_ROLE} PASSWORD {_literal(app_password)} NOINHERIT")
    elif roles[APP_ROLE]["rolinherit"]:
        raise RuntimeError(f"role {APP_ROLE} must be NOINHERIT (it switches to {RESIDENT_ROLE} for residents "
                           f"and must not hold its privileges otherwise): ALTER ROLE {APP_ROLE} NOINHERIT")
    if RESIDENT_ROLE not in existing:
        if not can_create:
            raise RuntimeError(f"role {RESIDENT_ROLE} is missing and {me['name']} may not create roles")
        await conn.execute(f"CREATE ROLE {RESIDENT_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE")
    if can_create:
        await conn.execute(f"GRANT {RESIDENT_ROLE} TO {APP_ROLE}")
    if me["name"] != OWNER_ROLE and not me["rolsuper"]:
        await conn.execute(f"GRANT {OWNER_ROLE} TO {me['name']}")
    database = await conn.fetchval("SELECT current_database()")
    if me["rolsuper"]:
        await conn.execute(f'GRANT CREATE, USAGE ON SCHEMA public TO {OWNER_ROLE}')
        await conn.execute(f'GRANT CONNECT, TEMPORARY ON DATABASE "{database}" TO {APP_ROLE}, {OWNER_ROLE}')
        await conn.execute(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}, {RESIDENT_ROLE}")


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def alembic_config(owner_url: URL) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["url"] = owner_url
    return cfg


def upgrade(owner_url: URL, app_password: str) -> None:
    """Blocking; call from a thread when an event loop is running."""
    asyncio.run(ensure_roles(owner_url, app_password))
    command.upgrade(alembic_config(owner_url), "head")
