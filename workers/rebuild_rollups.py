"""`firstcall rollups rebuild`: every company's KPI buckets recomputed from its cases (the fee
buckets from its bills, the call months from its call records) and every
month evaluated again, each company inside its own wall (one company's failure is reported and the others go on)."""

from __future__ import annotations

import logging
import time

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from domain.kpi.call_rollups import rebuild_calls
from domain.kpi.fee_rollups import rebuild_fees
from domain.kpi.month import evaluate
from domain.kpi.rollups import rebuild
from tenants.context import TenantScope
from tenants.db import resolve_urls
from tenants.platform import Platform
from tenants.settings import Settings

log = logging.getLogger("firstcall.rollups")


async def rebuild_all(settings: Settings, slug: str | None = None) -> list[tuple[str, float]]:
    urls = resolve_urls(settings)
    owner = create_async_engine(urls.owner)
    try:
        async with owner.connect() as conn:
            orgs = (await conn.execute(text("SELECT org_id, slug FROM organizations WHERE :s IS NULL OR slug = :s ORDER BY slug"),
                                       {"s": slug})).all()
    finally:
        await owner.dispose()
    if slug and not orgs:
        raise SystemExit(f"firstcall: no company with the slug {slug!r}")
    platform = Platform.create(settings, urls)
    done = []
    try:
        for org in orgs:
            started = time.monotonic()
            try:
                async with platform.transaction(TenantScope(org.org_id, None, "system:rollups")) as conn:
                    await rebuild(conn)
                    await rebuild_fees(conn, org.org_id)  # the collection rate's buckets, from the bills and allocations
                    await rebuild_calls(conn, org.org_id)  # the call figures' months, from the call records
                    await evaluate(conn, org.org_id)  # every month's evaluation, from the rebuilt rollups
            except Exception:
                log.exception("rebuilding the rollups of %s failed; the others go on", org.slug)
                continue
            done.append((org.slug, time.monotonic() - started))
    finally:
        await platform.close()
    return done
