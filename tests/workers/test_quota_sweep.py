"""The residents' rate-limit windows are deleted once a day old, per company, and only those."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from workers import quota_sweep


async def _windows(owner_engine, org_id) -> list:
    async with owner_engine.connect() as conn:
        return sorted(r[0] for r in await conn.execute(
            text("SELECT bucket FROM resident_quota WHERE org_id = :o"), {"o": org_id}))


async def test_windows_older_than_a_day_are_deleted_in_every_company(platform, owner_engine, org, other_org):
    now = datetime.now(UTC)
    async with owner_engine.begin() as conn:
        for o in (org, other_org):
            for bucket, age in (("old", timedelta(days=2)), ("recent", timedelta(hours=2))):
                await conn.execute(text("INSERT INTO resident_quota (org_id, subject_hash, bucket, window_start) "
                                        "VALUES (:o, uuid_send(gen_random_uuid()), :b, :w)"), {"o": o.org_id, "b": bucket, "w": now - age})
    assert await quota_sweep.sweep(platform, now) >= 2
    for o in (org, other_org):
        assert await _windows(owner_engine, o.org_id) == ["recent"]
    assert await quota_sweep.sweep(platform, now) == 0
