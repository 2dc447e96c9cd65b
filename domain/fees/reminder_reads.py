"""Reminders read for the API (docs/resident-services.md §6.6, §6.9): a project's settings and
schedules, a flat's reminders and open hold, a resident's reminders. The caller's wall decides
what is seen: a staff member's company and projects, a resident's own flats and `to_app` rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text

from domain.reads import Reader

RESIDENT_MAX = 50
_SETTINGS = text(
    "SELECT p.id AS project_id, coalesce(f.quiet_from, TIME '21:00') AS quiet_from, "
    "coalesce(f.quiet_until, TIME '08:30') AS quiet_until, coalesce(f.reminder_cap_per_month, 3) AS cap "
    "FROM projects p LEFT JOIN fee_settings f ON f.org_id = p.org_id AND f.project_id = p.id WHERE p.org_id = :o AND p.id = :p")
_SCHEDULE_COLUMNS = ("id, project_id, name, min_overdue_days, min_amount_fen, every_days, charge_item_ids, channel_ids, "
                     "to_app, active, created_at")
_SCHEDULES = text(f"SELECT {_SCHEDULE_COLUMNS} FROM reminder_schedules WHERE org_id = :o AND project_id = :p "
                    "ORDER BY active DESC, created_at, id")
_SCHEDULE = text(f"SELECT {_SCHEDULE_COLUMNS} FROM reminder_schedules WHERE org_id = :o AND id = :id")
_REMINDER_COLUMNS = ("r.id, r.project_id, r.unit_id, r.schedule_id, s.name AS schedule_name, r.way, r.to_app, r.overdue_fen, "
                     "r.oldest_due_on, r.month, r.sent_on, r.by, r.note, r.created_at")
_OF_UNIT = text(f"SELECT {_REMINDER_COLUMNS} FROM fee_reminders r LEFT JOIN reminder_schedules s ON s.org_id = r.org_id "
                "AND s.id = r.schedule_id WHERE r.org_id = :o AND r.unit_id = :u ORDER BY r.created_at DESC, r.id LIMIT :n")
_ONE = text(f"SELECT {_REMINDER_COLUMNS} FROM fee_reminders r LEFT JOIN reminder_schedules s ON s.org_id = r.org_id "
            "AND s.id = r.schedule_id WHERE r.org_id = :o AND r.id = :id")
_HOLD = text("SELECT id, project_id, unit_id, until, reason, by, created_at FROM fee_holds "
                "WHERE org_id = :o AND unit_id = :u AND released_at IS NULL")
_HOLD_BY_ID = text("SELECT id, project_id, unit_id, until, reason, by, created_at, released_at FROM fee_holds "
                   "WHERE org_id = :o AND id = :id")
_UNIT = text("SELECT id, project_id FROM units WHERE org_id = :o AND id = :u")
# The bridges a schedule of the project can use: webhooks of the company or of this project that
# hear `fee.reminders` (a schedule's other channels would be told nothing). Name and state only:
# the target and secret stay with channel:manage.
_CHANNELS = text(
    "SELECT id, project_id, name, kind, active, created_at FROM delivery_channels WHERE org_id = :o AND kind = 'webhook' "
    "AND 'fee.reminders' = ANY(topics) AND (project_id IS NULL OR project_id = :p) ORDER BY active DESC, created_at, id")
# The resident's role sees only its own flats' `to_app` reminders since moving in (0040's policy).
_RESIDENT = text("SELECT id, unit_id, way, overdue_fen, oldest_due_on, sent_on, created_at FROM fee_reminders "
                 "WHERE org_id = :o ORDER BY created_at DESC, id LIMIT :n")


async def reminder_channels(db: Reader, project_id: UUID) -> list[Row[Any]]:
    return await db.all(_CHANNELS, {"o": db.org_id, "p": project_id})


async def settings(db: Reader, project_id: UUID) -> Row[Any] | None:
    return await db.first(_SETTINGS, {"o": db.org_id, "p": project_id})


async def schedules(db: Reader, project_id: UUID) -> list[Row[Any]]:
    return await db.all(_SCHEDULES, {"o": db.org_id, "p": project_id})


async def schedule(db: Reader, schedule_id: UUID) -> Row[Any] | None:
    return await db.first(_SCHEDULE, {"o": db.org_id, "id": schedule_id})


async def unit(db: Reader, unit_id: UUID) -> Row[Any] | None:
    return await db.first(_UNIT, {"o": db.org_id, "u": unit_id})


async def reminders_of_unit(db: Reader, unit_id: UUID, limit: int) -> list[Row[Any]]:
    return await db.all(_OF_UNIT, {"o": db.org_id, "u": unit_id, "n": limit})


async def reminder(db: Reader, reminder_id: UUID) -> Row[Any] | None:
    return await db.first(_ONE, {"o": db.org_id, "id": reminder_id})


async def open_hold(db: Reader, unit_id: UUID) -> Row[Any] | None:
    return await db.first(_HOLD, {"o": db.org_id, "u": unit_id})


async def hold(db: Reader, hold_id: UUID) -> Row[Any] | None:
    return await db.first(_HOLD_BY_ID, {"o": db.org_id, "id": hold_id})


async def resident_reminders(db: Reader, first: int) -> list[Row[Any]]:
    return await db.all(_RESIDENT, {"o": db.org_id, "n": first})


_LAST_OF_UNITS = text("SELECT DISTINCT ON (unit_id) unit_id, way, sent_on, created_at FROM fee_reminders "
                      "WHERE org_id = :o AND unit_id = ANY(CAST(:ids AS uuid[])) ORDER BY unit_id, created_at DESC, id")
_HOLDS_OF_UNITS = text("SELECT id, project_id, unit_id, until, reason, by, created_at FROM fee_holds "
                       "WHERE org_id = :o AND unit_id = ANY(CAST(:ids AS uuid[])) AND released_at IS NULL")


async def last_reminders(db: Reader, unit_ids: Sequence[UUID]) -> list[Row[Any]]:
    """Each flat's latest reminder, for a page of the arrears list."""
    return await db.all(_LAST_OF_UNITS, {"o": db.org_id, "ids": [str(u) for u in unit_ids]})


async def open_holds(db: Reader, unit_ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_HOLDS_OF_UNITS, {"o": db.org_id, "ids": [str(u) for u in unit_ids]})
