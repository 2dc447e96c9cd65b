"""Migration 0058 on data: two companies' 12345 bridges keep every setting (name, city, callback,
receiver, secret, on or off); `updated_at` starts at a bridge's last recorded switch or rotation,
else at its creation, and `last_used_at` empty; the downgrade drops both columns again."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

from alembic import command
from sqlalchemy import text

from migrations.runner import alembic_config, ensure_roles
from tests.conftest import _admin, drop_database, make_org
from tests.integration.test_archive_migration import _run

BEFORE, AFTER = "0057_fee_upkeep", "0058_gov_integration"
SWITCHED = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
_SETTINGS = "SELECT id, org_id, project_id, name, city, callback_url, receiver_id, secret_enc, active FROM gov_bridges ORDER BY id"


def test_bridges_keep_their_settings_and_gain_the_switch_columns(server_url):
    name = f"fc_mig_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(server_url, f"CREATE DATABASE {name}"))
    url = server_url.set(database=name)
    cfg = alembic_config(url)
    try:
        asyncio.run(ensure_roles(url, "firstcall_app"))
        command.upgrade(cfg, BEFORE)

        async def seed(engine) -> dict:
            made = {}
            for n, active in ((1, False), (2, True)):
                org = await make_org(engine)
                bridge = uuid.uuid4()
                async with engine.begin() as conn:
                    await conn.execute(text(
                        "INSERT INTO gov_bridges (org_id, project_id, id, name, city, callback_url, secret_enc, receiver_id, active, "
                        "created_at, created_by) VALUES (:o, :p, :id, :n, '北京市', 'https://12345.example.gov.cn/cb', :s, :r, :a, "
                        "'2026-01-01T00:00:00Z', 'user:x')"),
                        {"o": org.org_id, "p": org.projects["P1"], "id": bridge, "n": f"北京12345-{n}", "s": bytes([n]) * 8,
                         "r": org.admin_id, "a": active})
                    if not active:  # its switch was recorded; the other company's bridge was never switched
                        await conn.execute(text(
                            "INSERT INTO audit_log (org_id, project_id, at, actor, action, entity, entity_id, data) VALUES "
                            "(:o, :p, :at, 'user:x', 'gov_bridge.switched', 'gov_bridge', :id, '{\"active\": false}')"),
                            {"o": org.org_id, "p": org.projects["P1"], "at": SWITCHED, "id": bridge})
                made[bridge] = active
            return made

        async def read(engine, sql: str) -> list:
            async with engine.connect() as conn:
                return [tuple(r) for r in (await conn.execute(text(sql))).all()]

        made = _run(seed, url)
        settings = _run(lambda e: read(e, _SETTINGS), url)
        command.upgrade(cfg, AFTER)
        assert _run(lambda e: read(e, _SETTINGS), url) == settings, "every setting kept"
        times = dict((r[0], r[1:]) for r in _run(lambda e: read(e, "SELECT id, updated_at, last_used_at FROM gov_bridges"), url))
        for bridge, active in made.items():
            assert times[bridge] == (SWITCHED if not active else datetime(2026, 1, 1, tzinfo=UTC), None)

        command.downgrade(cfg, BEFORE)
        columns = _run(lambda e: read(e, "SELECT column_name FROM information_schema.columns WHERE table_name = 'gov_bridges'"), url)
        assert {c for (c,) in columns}.isdisjoint({"updated_at", "last_used_at"})
        assert _run(lambda e: read(e, _SETTINGS), url) == settings
    finally:
        drop_database(server_url, name)
