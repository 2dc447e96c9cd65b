"""Read models of the SLA: each case's targets and escalations, the policy matrix, the ladder,
the calendar, and the HQ list of overdue cases."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.reads import Reader, Row
from domain.sla.overdue import OVERDUE_CASES

_TARGETS = text(
    "SELECT t.case_id, t.target, t.round, t.started_at, t.due_at, t.met_at, t.closed_by, t.paused_at, t.broken_at, t.provisional, "
    "  coalesce(l.remind_pct, 80) AS remind_pct "
    "FROM case_targets t LEFT JOIN sla_ladders l ON l.org_id = t.org_id "
    "WHERE t.org_id = :org AND t.case_id = ANY(:ids) "
    "ORDER BY t.round, array_position(ARRAY['commit', 'arrive', 'resolve', 'visit'], t.target)"
)
_ESCALATIONS = text(
    "SELECT id, case_id, target, round, level, reason, due_at, fired_at, recipients FROM escalations "
    "WHERE org_id = :org AND case_id = ANY(:ids) ORDER BY fired_at, id"
)
_POLICIES = text(
    "SELECT DISTINCT ON (kind, severity) kind, severity, clock, commit_minutes, arrive_minutes, resolve_minutes, "
    "visit_minutes, project_id IS NOT NULL AS overridden, updated_at, updated_by FROM sla_policies "
    "WHERE org_id = :org AND (project_id IS NULL OR project_id = :p) ORDER BY kind, severity, project_id NULLS LAST"
)
_LADDER = text("SELECT remind_pct, l1_pct, l2_pct, l3_pct FROM sla_ladders WHERE org_id = :org")
_DAYS = text("SELECT day, working, name FROM calendar_days WHERE org_id = :org AND day BETWEEN :a AND :b ORDER BY day")
_GAPS = text("SELECT year FROM calendar_gaps WHERE org_id = :org ORDER BY year")


async def targets_of_cases(db: Reader, case_ids: Sequence[UUID]) -> list[Row[Any]]:
    """The cases' targets by round and in the order of the clock, each with the ladder's remind percent."""
    return await db.all(_TARGETS, {"org": db.org_id, "ids": list(case_ids)})


async def escalations_of_cases(db: Reader, case_ids: Sequence[UUID]) -> list[Row[Any]]:
    """The cases' escalations, oldest first."""
    return await db.all(_ESCALATIONS, {"org": db.org_id, "ids": list(case_ids)})


async def policies(db: Reader, project_id: UUID | None) -> list[Row[Any]]:
    """One row per kind and severity: the project's own value where it has one, else the company's."""
    return await db.all(_POLICIES, {"org": db.org_id, "p": project_id})


async def ladder(db: Reader) -> Row[Any] | None:
    return await db.first(_LADDER, {"org": db.org_id})


async def calendar_days(db: Reader, first: date, last: date) -> list[Row[Any]]:
    return await db.all(_DAYS, {"org": db.org_id, "a": first, "b": last})


async def calendar_gaps(db: Reader) -> list[int]:
    """Years the calendar has no entries for."""
    return [r.year for r in await db.all(_GAPS, {"org": db.org_id})]


async def overdue_cases(db: Reader, project_id: UUID | None, first: int) -> list[Row[Any]]:
    return await db.all(OVERDUE_CASES, {"org": db.org_id, "p": project_id, "n": first})
