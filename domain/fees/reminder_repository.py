"""Reminders in PostgreSQL (docs/resident-services.md §6.6): settings, schedules, holds and a
person's records for the use cases, and the sweep's one statement per schedule. Every statement
runs in the caller's wall, so another company's or project's id is simply not found."""

from __future__ import annotations

from datetime import date, time
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.fees.reminder_rules import Schedule

DEFAULTS = (time(21, 0), time(8, 30), 3)
_SETTINGS = text("SELECT quiet_from, quiet_until, reminder_cap_per_month FROM fee_settings WHERE org_id = :o AND project_id = :p")
_SET_SETTINGS = text(
    "INSERT INTO fee_settings (org_id, project_id, quiet_from, quiet_until, reminder_cap_per_month, updated_by) "
    "VALUES (:o, :p, :f, :u, :cap, :by) ON CONFLICT (org_id, project_id) DO UPDATE SET quiet_from = EXCLUDED.quiet_from, "
    "quiet_until = EXCLUDED.quiet_until, reminder_cap_per_month = EXCLUDED.reminder_cap_per_month, "
    "updated_by = EXCLUDED.updated_by, updated_at = now()")
_PROJECT = text("SELECT 1 FROM projects WHERE org_id = :o AND id = :p")
_UNIT = text("SELECT project_id FROM units WHERE org_id = :o AND id = :u")
_ITEMS_FOUND = text("SELECT count(*) FROM charge_items WHERE org_id = :o AND project_id = :p AND id = ANY(CAST(:ids AS uuid[]))")
# The company's channels, or the project's own, as a notice's.
_CHANNELS_FOUND = text(
    "SELECT count(*) FROM delivery_channels WHERE org_id = :o AND id = ANY(CAST(:ids AS uuid[])) AND (project_id IS NULL OR "
    "project_id = :p)")
_SCHEDULE_COLUMNS = ("id, project_id, name, min_overdue_days, min_amount_fen, every_days, charge_item_ids, channel_ids, "
                     "to_app, active")
_SCHEDULE = text(f"SELECT {_SCHEDULE_COLUMNS} FROM reminder_schedules WHERE org_id = :o AND id = :id FOR UPDATE")
_INSERT_SCHEDULE = text(
    "INSERT INTO reminder_schedules (org_id, project_id, name, min_overdue_days, min_amount_fen, every_days, "
    "charge_item_ids, channel_ids, to_app, active, created_by) VALUES (:o, :p, :name, :min_overdue_days, :min_amount_fen, "
    ":every_days, CAST(:charge_item_ids AS uuid[]), CAST(:channel_ids AS uuid[]), :to_app, :active, :by) RETURNING id")
_UPDATE_SCHEDULE = text(
    "UPDATE reminder_schedules SET name = :name, min_overdue_days = :min_overdue_days, min_amount_fen = :min_amount_fen, "
    "every_days = :every_days, charge_item_ids = CAST(:charge_item_ids AS uuid[]), channel_ids = CAST(:channel_ids AS uuid[]), "
    "to_app = :to_app, active = :active, updated_at = now() WHERE org_id = :o AND id = :id")
_RECORD = text(
    "INSERT INTO fee_reminders (org_id, project_id, unit_id, way, overdue_fen, oldest_due_on, month, sent_on, by, note) "
    "SELECT :o, :p, :u, :way, coalesce(sum(b.amount_fen - b.waived_fen - b.paid_fen), 0), min(b.due_on), :month, :today, "
    ":by, :note FROM bills b WHERE b.org_id = :o AND b.project_id = :p AND b.unit_id = :u AND b.state = 'open' "
    "AND b.due_on < CAST(:today AS date) RETURNING id")
_HOLD = text(
    "INSERT INTO fee_holds (org_id, project_id, unit_id, until, reason, by) VALUES (:o, :p, :u, :until, :reason, :by) "
    "ON CONFLICT (org_id, unit_id) WHERE released_at IS NULL DO UPDATE SET until = EXCLUDED.until, "
    "reason = EXCLUDED.reason, by = EXCLUDED.by, updated_at = now() RETURNING id")
_RELEASE = text("UPDATE fee_holds SET released_at = now(), released_by = :by, updated_at = now() "
                "WHERE org_id = :o AND unit_id = :u AND released_at IS NULL RETURNING id")


def _schedule_params(s: Schedule) -> dict[str, Any]:
    return {"name": s.name, "min_overdue_days": s.min_overdue_days, "min_amount_fen": s.min_amount_fen,
            "every_days": s.every_days, "to_app": s.to_app, "active": s.active,
            "charge_item_ids": [str(i) for i in s.charge_item_ids] if s.charge_item_ids is not None else None,
            "channel_ids": [str(c) for c in s.channel_ids]}


class ReminderRepository:
    def __init__(self, conn: AsyncConnection, org_id: UUID) -> None:
        self._conn = conn
        self._org = org_id

    async def settings(self, project_id: UUID) -> tuple[time, time, int]:
        row = (await self._conn.execute(_SETTINGS, {"o": self._org, "p": project_id})).first()
        return (row.quiet_from, row.quiet_until, row.reminder_cap_per_month) if row else DEFAULTS

    async def set_settings(self, project_id: UUID, quiet_from: time, quiet_until: time, cap: int, by: str) -> None:
        await self._conn.execute(_SET_SETTINGS, {"o": self._org, "p": project_id, "f": quiet_from, "u": quiet_until,
                                                 "cap": cap, "by": by})

    async def project_exists(self, project_id: UUID) -> bool:
        return (await self._conn.execute(_PROJECT, {"o": self._org, "p": project_id})).first() is not None

    async def unit_project(self, unit_id: UUID) -> UUID | None:
        return (await self._conn.execute(_UNIT, {"o": self._org, "u": unit_id})).scalar_one_or_none()

    async def all_found(self, project_id: UUID, items: tuple[UUID, ...] | None, channels: tuple[UUID, ...]) -> str | None:
        """The field naming an id outside the project (channels: outside the project and the company), or None."""
        for ids, sql, field in ((items or (), _ITEMS_FOUND, "chargeItemIds"), (channels, _CHANNELS_FOUND, "channelIds")):
            if ids and (await self._conn.execute(sql, {"o": self._org,
                                                       "p": project_id, "ids": [str(i) for i in ids]})).scalar_one() != len(ids):
                return field
        return None

    async def schedule(self, schedule_id: UUID) -> tuple[UUID, Schedule] | None:
        """(project, schedule), locked for a change."""
        r = (await self._conn.execute(_SCHEDULE, {"o": self._org, "id": schedule_id})).first()
        if r is None:
            return None
        return r.project_id, Schedule(
            name=r.name, min_overdue_days=r.min_overdue_days, min_amount_fen=r.min_amount_fen, every_days=r.every_days,
            charge_item_ids=tuple(r.charge_item_ids) if r.charge_item_ids is not None else None,
            channel_ids=tuple(r.channel_ids or ()), to_app=r.to_app, active=r.active)

    async def add_schedule(self, project_id: UUID, s: Schedule, by: str) -> UUID:
        row = await self._conn.execute(_INSERT_SCHEDULE, {"o": self._org, "p": project_id, "by": by, **_schedule_params(s)})
        return row.scalar_one()  # type: ignore[no-any-return]

    async def save_schedule(self, schedule_id: UUID, s: Schedule) -> None:
        await self._conn.execute(_UPDATE_SCHEDULE, {"o": self._org, "id": schedule_id, **_schedule_params(s)})

    async def record(self, project_id: UUID, unit_id: UUID, way: str, note: str, today: date, month: date, by: str) -> UUID:
        row = await self._conn.execute(_RECORD, {"o": self._org, "p": project_id, "u": unit_id, "way": way, "note": note,
                                                 "today": today, "month": month, "by": by})
        return row.scalar_one()  # type: ignore[no-any-return]

    async def hold(self, project_id: UUID, unit_id: UUID, until: date, reason: str, by: str) -> UUID:
        row = await self._conn.execute(_HOLD, {"o": self._org, "p": project_id, "u": unit_id, "until": until,
                                               "reason": reason, "by": by})
        return row.scalar_one()  # type: ignore[no-any-return]

    async def release(self, unit_id: UUID, by: str) -> UUID | None:
        return (await self._conn.execute(_RELEASE, {"o": self._org, "u": unit_id, "by": by})).scalar_one_or_none()
