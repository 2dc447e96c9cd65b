"""话务 The call figures' month rollup (docs/centre-day.md §8): per project and Beijing month the
inbound calls offered, answered, answered within three rings (三声接听: `answered_at − queued_at ≤
3 × ring_seconds` of the integration that told of the call) and abandoned, the counts
`callFigures` gives per day (domain/calls/reads.py). One SQL text serves the call's own
transaction (one bucket, recomputed whole after the call is recorded) and `firstcall rollups
rebuild` (every bucket of the company): kept and rebuilt figures are equal by construction.

A call is told once, after it ends, and never changes its counted facts (linking it to a case
does not move a figure; an integration's ring length is fixed when it is added), so the bucket is
recomputed where the call is written: exact the moment the call is on file, with no consumer to
lag. Recomputing rather than adding one keeps a repeated delivery from counting twice."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.sla.calendar import CHINA

CALL_COUNTS = ("offered", "answered", "answered_3_rings", "abandoned")

_SQL = """
INSERT INTO kpi_call_month AS k (org_id, project_id, month, offered, answered, answered_3_rings, abandoned, computed_at, updated_at)
SELECT c.org_id, c.project_id, date_trunc('month', c.queued_at AT TIME ZONE 'Asia/Shanghai')::date, count(*), count(c.answered_at),
       count(*) FILTER (WHERE c.answered_at - c.queued_at <= make_interval(secs => 3 * i.ring_seconds)),
       count(*) FILTER (WHERE c.abandoned), now(), now()
FROM call_records c JOIN telephony_integrations i ON i.org_id = c.org_id AND i.id = c.integration_id
WHERE c.direction = 'in' AND {where}
GROUP BY 1, 2, 3
ON CONFLICT (org_id, project_id, month) DO UPDATE SET
  offered = EXCLUDED.offered, answered = EXCLUDED.answered, answered_3_rings = EXCLUDED.answered_3_rings,
  abandoned = EXCLUDED.abandoned, computed_at = EXCLUDED.computed_at,
  -- The evaluation sweep re-scores a month whose rollups changed: only a change moves this.
  updated_at = CASE WHEN (k.offered, k.answered, k.answered_3_rings, k.abandoned)
                         IS DISTINCT FROM (EXCLUDED.offered, EXCLUDED.answered, EXCLUDED.answered_3_rings, EXCLUDED.abandoned)
                    THEN now() ELSE k.updated_at END
"""
# One project's Beijing month, through the index on (org_id, project_id, queued_at).
CALL_BUCKET = text(_SQL.format(where=(
    "c.org_id = :o AND c.project_id = :p "
    "AND c.queued_at >= CAST(:m AS date)::timestamp AT TIME ZONE 'Asia/Shanghai' "
    "AND c.queued_at < (CAST(:m AS date) + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai'")))
# One company's every month.
REBUILD_CALLS = text(_SQL.format(where="c.org_id = :o"))

_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))")


def call_month(queued_at: datetime) -> date:
    """The Beijing month a call belongs to: the month it was queued in."""
    return queued_at.astimezone(CHINA).date().replace(day=1)


async def refresh_call_bucket(conn: AsyncConnection, org_id: UUID, project_id: UUID, month: date) -> None:
    """Recomputes one (project, month) bucket. Two calls of one project recorded at once queue on
    the lock, so the second to commit counts the first."""
    await conn.execute(_LOCK, {"k": f"kpi_calls:{project_id}:{month}"})
    await conn.execute(CALL_BUCKET, {"o": org_id, "p": project_id, "m": month})


async def rebuild_calls(conn: AsyncConnection, org_id: UUID) -> None:
    """Every call bucket of the caller's company, from its call records."""
    await conn.execute(REBUILD_CALLS, {"o": org_id})
