"""Editing the SLA set-up: policy cells (company defaults and project overrides), the ladder, and
the company's own calendar days. Each change is audited in the caller's transaction. Changes
apply to targets started afterwards; running clocks keep the deadline they were given."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.errors import invalid, not_found
from domain.outbox import write_audit
from domain.sla.policy import Ladder, Policy, check_ladder, check_policy

_UPSERT_POLICY = text(
    "INSERT INTO sla_policies (org_id, project_id, kind, severity, clock, commit_minutes, arrive_minutes, resolve_minutes, "
    "visit_minutes, updated_at, updated_by) VALUES (:o, :p, :k, :s, :clock, :c, :a, :r, :v, now(), :by) "
    "ON CONFLICT (org_id, project_id, kind, severity) DO UPDATE SET clock = EXCLUDED.clock, "
    "commit_minutes = EXCLUDED.commit_minutes, arrive_minutes = EXCLUDED.arrive_minutes, "
    "resolve_minutes = EXCLUDED.resolve_minutes, visit_minutes = EXCLUDED.visit_minutes, updated_at = now(), "
    "updated_by = EXCLUDED.updated_by"
)
_DELETE_OVERRIDE = text("DELETE FROM sla_policies WHERE project_id = :p AND kind = :k AND severity = :s RETURNING id")
_UPSERT_LADDER = text(
    "INSERT INTO sla_ladders (org_id, remind_pct, l1_pct, l2_pct, l3_pct, updated_by) VALUES (:o, :rm, :l1, :l2, :l3, :by) "
    "ON CONFLICT (org_id) DO UPDATE SET remind_pct = EXCLUDED.remind_pct, l1_pct = EXCLUDED.l1_pct, "
    "l2_pct = EXCLUDED.l2_pct, l3_pct = EXCLUDED.l3_pct, updated_at = now(), updated_by = EXCLUDED.updated_by"
)
_UPSERT_DAY = text(
    "INSERT INTO calendar_days (org_id, day, working, name) VALUES (:o, :d, :w, :n) "
    "ON CONFLICT (org_id, day) DO UPDATE SET working = EXCLUDED.working, name = EXCLUDED.name"
)


async def set_policy(conn: AsyncConnection, *, org_id: UUID, project_id: UUID | None, kind: str, severity: str,
                     policy: Policy, actor: str) -> None:
    check_policy(policy)
    if project_id is not None and not (await conn.execute(text("SELECT 1 FROM projects WHERE id = :p"), {"p": project_id})).first():
        raise not_found("The project", "projectId")
    await conn.execute(_UPSERT_POLICY, {"o": org_id, "p": project_id, "k": kind, "s": severity, "clock": policy.clock.value,
                                        "c": policy.commit, "a": policy.arrive, "r": policy.resolve, "v": policy.visit, "by": actor})
    await write_audit(conn, org_id=org_id, project_id=project_id, actor=actor, action="sla.policy_set", entity="sla_policy",
                      entity_id=None, data={"kind": kind, "severity": severity, "clock": policy.clock.value,
                                            "minutes": [policy.commit, policy.arrive, policy.resolve, policy.visit]})


async def remove_override(conn: AsyncConnection, *, org_id: UUID, project_id: UUID, kind: str, severity: str, actor: str) -> None:
    if (await conn.execute(_DELETE_OVERRIDE, {"p": project_id, "k": kind, "s": severity})).first() is None:
        raise not_found("An override for this project, kind and severity", "projectId")
    await write_audit(conn, org_id=org_id, project_id=project_id, actor=actor, action="sla.override_removed",
                      entity="sla_policy", entity_id=None, data={"kind": kind, "severity": severity})


async def set_ladder(conn: AsyncConnection, *, org_id: UUID, ladder: Ladder, actor: str) -> None:
    check_ladder(ladder)
    await conn.execute(_UPSERT_LADDER, {"o": org_id, "rm": ladder.remind, "l1": ladder.l1, "l2": ladder.l2, "l3": ladder.l3, "by": actor})
    await write_audit(conn, org_id=org_id, project_id=None, actor=actor, action="sla.ladder_set", entity="sla_ladder",
                      entity_id=None, data={"percent": [ladder.remind, ladder.l1, ladder.l2, ladder.l3]})


async def set_calendar_day(conn: AsyncConnection, *, org_id: UUID, day: date, working: bool, name: str, actor: str) -> None:
    name = (name or "").strip()
    if not 1 <= len(name) <= 50:
        raise invalid("Name the day (1–50 characters), e.g. 春节 or 春节调休.", "name")
    if not 2000 <= day.year <= 2100:
        raise invalid("The day must fall between 2000 and 2100.", "day")
    await conn.execute(_UPSERT_DAY, {"o": org_id, "d": day, "w": working, "n": name})
    # The year is covered now (at least in part): stop asking for it.
    await conn.execute(text("DELETE FROM calendar_gaps WHERE year = :y"), {"y": day.year})
    await write_audit(conn, org_id=org_id, project_id=None, actor=actor, action="calendar.day_set", entity="calendar_day",
                      entity_id=None, data={"day": day.isoformat(), "working": working, "name": name})


async def remove_calendar_day(conn: AsyncConnection, *, org_id: UUID, day: date, actor: str) -> None:
    if (await conn.execute(text("DELETE FROM calendar_days WHERE day = :d RETURNING day"), {"d": day})).first() is None:
        raise not_found("That calendar day", "day")
    await write_audit(conn, org_id=org_id, project_id=None, actor=actor, action="calendar.day_removed", entity="calendar_day",
                      entity_id=None, data={"day": day.isoformat()})
