"""催缴 the automatic reminders (docs/resident-services.md §6.6), one company's step of the sweep
(workers/fee_reminder_sweep.py), with the clock given so tests choose the minute.

Per project with an active schedule: nothing in its quiet hours (what is due goes out with the
first sweep after them); one sweeper at a time (`pg_try_advisory_xact_lock`: another skips the
project); per active schedule, oldest first, one `INSERT … SELECT … ON CONFLICT DO NOTHING
RETURNING` of the flats owing at least its amount for at least its days (its items only, when it
names some), not held, not reminded by it within `every_days`, and with fewer than the project's
cap of automatic reminders this Beijing month from any schedule — the statements of one project
run in order in one transaction, so a later schedule counts what an earlier one just sent. The
unique (schedule, flat, day) makes a rerun of the same day a no-op. Then `fee.reminders` events
of 500 flats each for the schedule's bridge channels: ids and amounts, never a name or phone.

Cheap when nothing changed: within one Beijing day only a written bill, hold, schedule or setting
can make a flat due (every other rule goes by the day), and 0057's triggers count those per project
(`fee_reminder_marks`). A project swept in full today whose count is what that sweep read
(`fee_reminder_sweeps`) is skipped without reading a bill; the count is read before the sweep's
own statements, so a change committed meanwhile makes the next minute sweep again. A run cut short
by PER_RUN, a lock held by another sweeper or the quiet hours mark nothing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.events import Event
from domain.fees.reminder_rules import beijing, month_of, quiet
from domain.unit_of_work import Aggregate, AuditEntry, Joined, UnitOfWork

ACTOR = "system:fee-reminders"
COMPANIES = text("SELECT orgs_with_fee_reminders()")
TOPIC = "fee.reminders"
BATCH = 500
PER_RUN = 5000  # per project and run; the rest goes out a minute later

# With each project, its change count (0057's triggers) and what its last full sweep saw.
_PROJECTS = text(
    "SELECT s.project_id, coalesce(f.quiet_from, TIME '21:00') AS quiet_from, coalesce(f.quiet_until, TIME '08:30') AS quiet_until, "
    "coalesce(f.reminder_cap_per_month, 3) AS cap, coalesce(m.changes, 0) AS changes, w.swept_changes, w.swept_on "
    "FROM (SELECT DISTINCT project_id FROM reminder_schedules WHERE reminder_schedules.org_id = :o AND active) s "
    "LEFT JOIN fee_settings f ON f.project_id = s.project_id LEFT JOIN fee_reminder_marks m ON m.project_id = s.project_id "
    "LEFT JOIN fee_reminder_sweeps w ON w.project_id = s.project_id ORDER BY s.project_id")
_SWEPT = text(
    "INSERT INTO fee_reminder_sweeps (org_id, project_id, swept_changes, swept_on, swept_at) VALUES (:o, :p, :changes, :day, now()) "
    "ON CONFLICT (org_id, project_id) DO UPDATE SET swept_changes = EXCLUDED.swept_changes, swept_on = EXCLUDED.swept_on, "
    "swept_at = EXCLUDED.swept_at")
_LOCK = text("SELECT pg_try_advisory_xact_lock(hashtext('fee_reminders'), hashtext(CAST(CAST(:p AS uuid) AS text)))")
_SCHEDULES = text("SELECT id, min_overdue_days, min_amount_fen, every_days, charge_item_ids, channel_ids, to_app "
                  "FROM reminder_schedules WHERE org_id = :o AND project_id = :p AND active ORDER BY created_at, id")
_SEND = text("""
WITH owed AS (
  SELECT b.unit_id, sum(b.amount_fen - b.waived_fen - b.paid_fen) AS overdue_fen, min(b.due_on) AS oldest_due_on
  FROM bills b
  WHERE b.org_id = :o AND b.project_id = :p AND b.state = 'open' AND b.due_on < CAST(:today AS date)
    AND (CAST(:items AS uuid[]) IS NULL OR b.charge_item_id = ANY(CAST(:items AS uuid[])))
  GROUP BY b.unit_id
  HAVING sum(b.amount_fen - b.waived_fen - b.paid_fen) >= GREATEST(CAST(:min_fen AS bigint), 1)
     AND min(b.due_on) <= CAST(:today AS date) - CAST(:min_days AS integer)
), due AS (
  SELECT o.* FROM owed o
  WHERE NOT EXISTS (SELECT 1 FROM fee_holds h WHERE h.org_id = :o AND h.project_id = :p AND h.unit_id = o.unit_id
                    AND h.released_at IS NULL AND h.until >= CAST(:today AS date))
    AND NOT EXISTS (SELECT 1 FROM fee_reminders r WHERE r.org_id = :o AND r.project_id = :p AND r.unit_id = o.unit_id
                    AND r.schedule_id = :s
                    AND r.sent_on > CAST(:today AS date) - CAST(:every AS integer))
    AND (SELECT count(*) FROM fee_reminders r WHERE r.org_id = :o AND r.project_id = :p AND r.unit_id = o.unit_id
         AND r.month = CAST(:month AS date) AND r.schedule_id IS NOT NULL) < :cap
  ORDER BY o.oldest_due_on, o.unit_id LIMIT :room
)
INSERT INTO fee_reminders (org_id, project_id, unit_id, schedule_id, way, to_app, channel_ids, overdue_fen, oldest_due_on,
                           month, sent_on, by)
SELECT :o, :p, d.unit_id, :s, 'auto', :to_app, CAST(:channels AS uuid[]), d.overdue_fen, d.oldest_due_on, :month, :today, :by
FROM due d
ON CONFLICT DO NOTHING
RETURNING unit_id, overdue_fen, oldest_due_on
""")
_BRIDGES = text(
    "SELECT 1 FROM delivery_channels WHERE org_id = :o AND id = ANY(CAST(:ids AS uuid[])) AND active AND kind = 'webhook' "
    "AND :topic = ANY(topics) AND (project_id IS NULL OR project_id = :p) LIMIT 1")
_OCCUPANTS = text(
    "SELECT unit_id, resident_id FROM occupancies WHERE org_id = :o AND project_id = :p AND moved_out_on IS NULL "
    "AND unit_id = ANY(CAST(:units AS uuid[])) ORDER BY unit_id, role <> 'owner', NOT primary_contact, resident_id")


async def send_due(conn: AsyncConnection, org_id: UUID, now: datetime) -> int:
    """One company's reminders due at `now`, each project in a savepoint of the company's
    transaction; how many flats were reminded."""
    local = beijing(now)
    sent = 0
    for project in list(await conn.execute(_PROJECTS, {"o": org_id})):
        if quiet(local.time(), project.quiet_from, project.quiet_until):
            continue
        if (project.swept_on, project.swept_changes) == (local.date(), project.changes):
            continue  # swept in full today and nothing changed since: nothing can be due
        async with UnitOfWork(Joined(conn), org_id=org_id, actor=ACTOR, scope=None) as uow:
            if not (await conn.execute(_LOCK, {"p": project.project_id})).scalar_one():
                continue  # another sweeper has it this minute
            n = await _project(uow, project.project_id, project.cap, local.date())
            if n < PER_RUN:  # a full run: everything due was sent (else the rest goes a minute later)
                await conn.execute(_SWEPT, {"o": org_id, "p": project.project_id, "changes": project.changes,
                                            "day": local.date()})
            await uow.commit()
        sent += n
    return sent


async def _project(uow: UnitOfWork, project_id: UUID, cap: int, today: date) -> int:
    conn, month, room = uow.conn, month_of(today), PER_RUN
    for s in list(await conn.execute(_SCHEDULES, {"o": uow.org_id, "p": project_id})):
        if room <= 0:
            break
        channels = [str(c) for c in s.channel_ids or ()]
        rows = list(await conn.execute(_SEND, {
            "o": uow.org_id, "p": project_id, "s": s.id, "today": today, "month": month, "cap": cap, "room": room,
            "min_fen": s.min_amount_fen, "min_days": s.min_overdue_days, "every": s.every_days, "to_app": s.to_app,
            "items": [str(i) for i in s.charge_item_ids] if s.charge_item_ids is not None else None,
            "channels": channels, "by": ACTOR}))
        if not rows:
            continue
        room -= len(rows)
        rows.sort(key=lambda r: r.unit_id)
        uow.track(Aggregate(audit=[AuditEntry(action="fee.reminded", entity="reminder_schedule", entity_id=s.id,
                                              project_id=project_id, data={"count": len(rows), "month": month.isoformat()})]))
        if channels and (await conn.execute(_BRIDGES, {"o": uow.org_id, "ids": channels, "topic": TOPIC, "p": project_id})).first():
            await _batches(uow, project_id, s.id, month, channels, rows)
    return PER_RUN - room


async def _batches(uow: UnitOfWork, project_id: UUID, schedule_id: UUID, month: date, channels: list[str],
                   rows: list[Any]) -> None:
    living: dict[UUID, list[str]] = {}
    for r in await uow.conn.execute(_OCCUPANTS, {"o": uow.org_id, "p": project_id, "units": [r.unit_id for r in rows]}):
        living.setdefault(r.unit_id, []).append(str(r.resident_id))
    units = [{"unit_id": str(r.unit_id), "resident_ids": living.get(r.unit_id, []), "overdue_fen": r.overdue_fen,
              "oldest_due_on": r.oldest_due_on.isoformat()} for r in rows]
    batches = (len(units) + BATCH - 1) // BATCH
    for i in range(batches):
        uow.record(Event(topic=TOPIC, org_id=uow.org_id, project_id=project_id, payload={
            "schedule_id": str(schedule_id), "month": month.isoformat(), "batch": i + 1, "batches": batches,
            "channel_ids": channels, "units": units[i * BATCH:(i + 1) * BATCH]}))
