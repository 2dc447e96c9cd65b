"""`firstcall migrate` honours DATABASE_URL, is re-runnable, also from several processes at once,
and creates the roles."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import asyncpg

from alembic.script import ScriptDirectory

from migrations.runner import alembic_config, upgrade
from tests.conftest import clone_database, drop_database

FIRSTCALL = str(Path(sys.executable).with_name("firstcall"))


def test_migrate_again_and_concurrently_changes_nothing(server_url, template_db):
    name, urls = clone_database(server_url, template_db)
    try:
        upgrade(urls.owner, "firstcall_app")

        # Two `firstcall migrate` processes at once, as replicas starting together would.
        env = dict(os.environ, DATABASE_URL=urls.owner.render_as_string(hide_password=False))
        procs = [subprocess.Popen([FIRSTCALL, "migrate"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                 for _ in range(2)]
        for p in procs:
            out, _ = p.communicate(timeout=120)
            assert p.returncode == 0, out.decode()[-2000:]

        async def check() -> tuple:
            conn = await asyncpg.connect(urls.owner.set(drivername="postgresql").render_as_string(hide_password=False))
            try:
                version = await conn.fetchval("SELECT version_num FROM alembic_version")
                roles = await conn.fetch("SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname LIKE 'firstcall_%' ORDER BY 1")
                return version, [tuple(r) for r in roles]
            finally:
                await conn.close()

        version, roles = asyncio.run(check())
        assert version == ScriptDirectory.from_config(alembic_config(urls.owner)).get_current_head()
        assert roles == [("firstcall_app", True), ("firstcall_owner", False), ("firstcall_resident", False)]
    finally:
        drop_database(server_url, name)
