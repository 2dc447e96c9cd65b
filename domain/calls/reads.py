"""What the call pages read (docs/centre-day.md §8): a project's telephony integrations, its calls
of some Beijing days, and the day figures counted from those calls. Row-level security keeps them
to the caller's projects; the queries name the project for the index's sake.

The figures are counted from `call_records` when asked rather than kept in a `kpi_calls_day`
rollup: one aggregate over an index on (org_id, project_id, queued_at) for at most 92 days, exact
as soon as a call arrives, with nothing to keep in step or rebuild. Inbound calls only:

- offered: every inbound call; answered: those with `answered_at`; abandoned: the rest;
- 三声接听 answered within three rings: `answered_at − queued_at ≤ 3 × ring_seconds` of the
  integration that told us of the call;
- wait: seconds from `queued_at` to `answered_at` of the answered calls (their sum; the average
  is the sum over answered)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.engine import Row

from domain.reads import Reader

_INTEGRATION_COLUMNS = "id, project_id, name, active, ring_seconds, last_used_at, created_at, created_by"
_INTEGRATIONS = text(f"SELECT {_INTEGRATION_COLUMNS} FROM telephony_integrations WHERE org_id = :o AND project_id = :p "
                     "ORDER BY created_at, id")
_INTEGRATION = text(f"SELECT {_INTEGRATION_COLUMNS} FROM telephony_integrations WHERE org_id = :o AND id = :id")

_WINDOW = ("c.org_id = :o AND c.project_id = :p "
           "AND c.queued_at >= CAST(CAST(:since AS date) AS timestamp) AT TIME ZONE 'Asia/Shanghai' "
           "AND c.queued_at < CAST(CAST(:until AS date) + 1 AS timestamp) AT TIME ZONE 'Asia/Shanghai'")
_CALL_COLUMNS = ("c.id, c.project_id, c.integration_id, c.external_id, c.direction, c.caller_phone_masked, c.queued_at, "
                 "c.answered_at, c.ended_at, c.abandoned, c.agent_user_id, c.case_id")
_CALLS = text(f"SELECT {_CALL_COLUMNS} FROM call_records c WHERE {_WINDOW} ORDER BY c.queued_at DESC, c.id LIMIT :limit")
_CALL = text(f"SELECT {_CALL_COLUMNS} FROM call_records c WHERE c.org_id = :o AND c.id = :id")
_DAYS = text(
    "SELECT (c.queued_at AT TIME ZONE 'Asia/Shanghai')::date AS day, count(*) AS offered, "
    "count(c.answered_at) AS answered, "
    "count(*) FILTER (WHERE c.answered_at - c.queued_at <= make_interval(secs => 3 * i.ring_seconds)) AS answered_3_rings, "
    "count(*) FILTER (WHERE c.abandoned) AS abandoned, "
    "coalesce(sum(extract(epoch FROM c.answered_at - c.queued_at)), 0)::float8 AS wait_seconds "
    f"FROM call_records c JOIN telephony_integrations i ON i.org_id = c.org_id AND i.id = c.integration_id "
    f"WHERE {_WINDOW} AND c.direction = 'in' GROUP BY 1 ORDER BY 1")


async def integrations(db: Reader, project_id: UUID) -> list[Row[Any]]:
    return await db.all(_INTEGRATIONS, {"o": db.org_id, "p": project_id})


async def integration(db: Reader, integration_id: UUID) -> Row[Any] | None:
    return await db.first(_INTEGRATION, {"o": db.org_id, "id": integration_id})


async def calls(db: Reader, project_id: UUID, *, since: date, until: date, limit: int) -> list[Row[Any]]:
    """Newest first, from the first Beijing day to the last, both included."""
    return await db.all(_CALLS, {"o": db.org_id, "p": project_id, "since": since, "until": until, "limit": limit})


async def call(db: Reader, call_id: UUID) -> Row[Any] | None:
    return await db.first(_CALL, {"o": db.org_id, "id": call_id})


async def days(db: Reader, project_id: UUID, *, since: date, until: date) -> list[Row[Any]]:
    """One row per Beijing day with inbound calls: offered, answered, answered_3_rings, abandoned, wait_seconds."""
    return await db.all(_DAYS, {"o": db.org_id, "p": project_id, "since": since, "until": until})
