"""The periodic sweeps over every company (自动确认, 考评, 转办催办) share one shape: the companies
with work are listed outside any wall (a SECURITY DEFINER function), then each company is swept
in its own transaction inside its own wall. One company's failure rolls back only its own work;
it is logged with the company and counted, and the others go on. What a sweep does in a company
is a function of that company's connection, so the sweeps say only what they do."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import TextClause
from sqlalchemy.ext.asyncio import AsyncConnection

from tenants.context import TenantScope
from tenants.platform import Platform
from tenants.telemetry import meter

# The work in one company: its connection (already inside the company's wall) and the company;
# returns how much it did (cases confirmed, months evaluated, steps taken).
Work = Callable[[AsyncConnection, UUID], Awaitable[int]]

failures = meter.create_counter("firstcall.sweep.company_failures",
                                description="Companies whose share of a sweep failed and was rolled back")


@dataclass(frozen=True)
class CompanySweep:
    name: str  # in logs and the failure counter's `sweep` attribute
    actor: str  # the system actor the companies' transactions run as
    companies: TextClause  # lists the companies with work, from the sweep's parameters
    log: logging.Logger

    async def __call__(self, platform: Platform, params: dict[str, Any], work: Work) -> int:
        """Sweeps every company with work; returns what they did together."""
        async with platform.transaction(None) as conn:
            orgs = [row[0] for row in await conn.execute(self.companies, params)]
        return await self.each(platform, orgs, work)

    async def each(self, platform: Platform, orgs: Iterable[UUID], work: Work) -> int:
        done = 0
        for org_id in orgs:
            try:
                async with platform.transaction(TenantScope(org_id=org_id, projects=None, actor=self.actor)) as conn:
                    n = await work(conn, org_id)
            except Exception:
                failures.add(1, {"sweep": self.name})
                self.log.exception("%s sweep failed for company %s; the others go on", self.name, org_id)
            else:
                done += n  # counted only once the company's transaction committed
        return done

    async def repeat(self, stop: asyncio.Event, every_seconds: float, sweep_once: Callable[[], Awaitable[None]]) -> None:
        """Sweeps until `stop`, pausing `every_seconds` between rounds; a failed round is retried
        at the next one. Several processes may repeat the same sweep: each sweep's own locks
        (SKIP LOCKED, advisory locks) share the work."""
        while not stop.is_set():
            try:
                await sweep_once()
            except Exception:
                self.log.exception("%s sweep failed; retrying", self.name)
            with contextlib.suppress(TimeoutError):  # the pause ran out: sweep again
                await asyncio.wait_for(stop.wait(), timeout=every_seconds)
