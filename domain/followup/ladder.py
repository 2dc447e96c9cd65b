"""跟进阶梯 The ladder for things that are not cases (docs/centre-day.md §1): a late corrective
action, a missed patrol, a hazard past its deadline, a sweep not submitted climb the organisation
as a late case does — reminded at the company's remind percentage of the time allowed, then L1,
L2, L3 at theirs (`sla_ladders`), each level once. The subject's own unit of work plants and
clears its timers; the timer scanner fires them (`item_fire_due`)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

LEVELS = ("remind", "l1", "l2", "l3")
LEVEL_LABELS = {"remind": "提醒", "l1": "一级升级 L1", "l2": "二级升级 L2", "l3": "三级升级 L3"}

# One row per level at start + span × percentage; the company's ladder, or the defaults.
_PLANT = text(
    "INSERT INTO item_timers (org_id, project_id, subject_kind, subject_id, level, owner_user_id, due_at) "
    "SELECT :o, :p, :kind, :id, v.level, :owner, "
    "       CAST(:start AS timestamptz) + (CAST(:due AS timestamptz) - CAST(:start AS timestamptz)) * v.pct / 100.0 "
    "FROM (SELECT coalesce(max(remind_pct), 80) AS r, coalesce(max(l1_pct), 100) AS l1, "
    "             coalesce(max(l2_pct), 150) AS l2, coalesce(max(l3_pct), 200) AS l3 "
    "      FROM sla_ladders WHERE org_id = :o) l "
    "CROSS JOIN LATERAL (VALUES ('remind', l.r), ('l1', l.l1), ('l2', l.l2), ('l3', l.l3)) AS v(level, pct)"
)
_CLEAR = text("DELETE FROM item_timers WHERE org_id = :o AND subject_kind = :kind AND subject_id = :id")
_STOP = text("DELETE FROM item_timers WHERE org_id = :o AND subject_kind = :kind AND subject_id = :id AND fired_at IS NULL")


async def plant(conn: AsyncConnection, *, org_id: UUID, project_id: UUID, kind: str, subject_id: UUID, owner: UUID | None,
                start: datetime, due: datetime) -> None:
    """A new round of the ladder for this deadline: any earlier round's timers go (a returned
    action with a new due date climbs again from the start)."""
    await conn.execute(_CLEAR, {"o": org_id, "kind": kind, "id": subject_id})
    await conn.execute(_PLANT, {"o": org_id, "p": project_id, "kind": kind, "id": subject_id, "owner": owner,
                                "start": start, "due": due})


async def stop(conn: AsyncConnection, *, org_id: UUID, kind: str, subject_id: UUID) -> None:
    """Done in time, or done late: what has not fired never will."""
    await conn.execute(_STOP, {"o": org_id, "kind": kind, "id": subject_id})


