"""档案准确率 nightly: every company with an archive (found by `orgs_with_archive()`, ids only),
each in its own transaction inside its own wall, gets the day's figures of all its projects
(docs/archive.md §7). One company's failure does not stop the others; a second run the same day
replaces the first's rows, so several scanners may run it."""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import text

from domain.archive.accuracy import beijing_today, compute
from tenants.platform import Platform
from workers.sweeps import CompanySweep

log = logging.getLogger("firstcall.archive_accuracy")
ACTOR = "system:archive-accuracy"
SWEEP = CompanySweep("archive-accuracy", ACTOR, text("SELECT orgs_with_archive()"), log)


async def sweep(platform: Platform, day: date | None = None) -> int:
    """The Beijing day's figures (today's by default) of every company; returns the projects written."""
    day = day or beijing_today()
    return await SWEEP(platform, {}, lambda conn, org_id: compute(conn, org_id, day))
