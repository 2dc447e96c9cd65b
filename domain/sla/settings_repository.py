"""The SLA set-up in PostgreSQL: policy cells, the ladder and calendar days, inside the company's wall."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import text

from domain.sla.model import SlaSettings
from domain.sla.policy import Ladder, Policy
from domain.unit_of_work import UnitOfWork

_UPSERT_POLICY = text(
    "INSERT INTO sla_policies (org_id, project_id, kind, severity, clock, commit_minutes, arrive_minutes, resolve_minutes, "
    "visit_minutes, updated_at, updated_by) VALUES (:o, :p, :k, :s, :clock, :c, :a, :r, :v, now(), :by) "
    "ON CONFLICT (org_id, project_id, kind, severity) DO UPDATE SET clock = EXCLUDED.clock, "
    "commit_minutes = EXCLUDED.commit_minutes, arrive_minutes = EXCLUDED.arrive_minutes, "
    "resolve_minutes = EXCLUDED.resolve_minutes, visit_minutes = EXCLUDED.visit_minutes, updated_at = now(), "
    "updated_by = EXCLUDED.updated_by"
)
_DELETE_OVERRIDE = text("DELETE FROM sla_policies WHERE org_id = :o AND project_id = :p AND kind = :k AND severity = :s RETURNING id")
_UPSERT_LADDER = text(
    "INSERT INTO sla_ladders (org_id, remind_pct, l1_pct, l2_pct, l3_pct, updated_by) VALUES (:o, :rm, :l1, :l2, :l3, :by) "
    "ON CONFLICT (org_id) DO UPDATE SET remind_pct = EXCLUDED.remind_pct, l1_pct = EXCLUDED.l1_pct, "
    "l2_pct = EXCLUDED.l2_pct, l3_pct = EXCLUDED.l3_pct, updated_at = now(), updated_by = EXCLUDED.updated_by"
)
_UPSERT_DAY = text(
    "INSERT INTO calendar_days (org_id, day, working, name) VALUES (:o, :d, :w, :n) "
    "ON CONFLICT (org_id, day) DO UPDATE SET working = EXCLUDED.working, name = EXCLUDED.name"
)


class SettingsRepository:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def for_company(self) -> SlaSettings:
        """Nothing is read: each change replaces or removes rows whole."""
        settings = SlaSettings(org_id=self._uow.org_id)
        self._uow.track(settings)
        return settings

    async def project_found(self, project_id: UUID | None) -> bool:
        """True for the company default (no project); a project of another company is not found."""
        if project_id is None:
            return True
        return (await self._uow.conn.execute(text("SELECT 1 FROM projects WHERE org_id = :o AND id = :p"),
                                             {"o": self._uow.org_id, "p": project_id})).first() is not None

    async def save_policy(self, *, project_id: UUID | None, kind: str, severity: str, policy: Policy) -> None:
        await self._uow.conn.execute(_UPSERT_POLICY, {
            "o": self._uow.org_id, "p": project_id, "k": kind, "s": severity, "clock": policy.clock.value,
            "c": policy.commit, "a": policy.arrive, "r": policy.resolve, "v": policy.visit, "by": self._uow.actor})

    async def delete_override(self, *, project_id: UUID, kind: str, severity: str) -> bool:
        return (await self._uow.conn.execute(_DELETE_OVERRIDE, {"o": self._uow.org_id,
                                                                "p": project_id, "k": kind, "s": severity})).first() is not None

    async def save_ladder(self, ladder: Ladder) -> None:
        await self._uow.conn.execute(_UPSERT_LADDER, {"o": self._uow.org_id, "rm": ladder.remind, "l1": ladder.l1,
                                                      "l2": ladder.l2, "l3": ladder.l3, "by": self._uow.actor})

    async def save_day(self, *, day: date, working: bool, name: str) -> None:
        await self._uow.conn.execute(_UPSERT_DAY, {"o": self._uow.org_id, "d": day, "w": working, "n": name})
        # The year is covered now (at least in part): stop asking for it.
        await self._uow.conn.execute(text("DELETE FROM calendar_gaps WHERE org_id = :o AND year = :y"),
                                     {"o": self._uow.org_id, "y": day.year})

    async def delete_day(self, day: date) -> bool:
        deleted = await self._uow.conn.execute(text("DELETE FROM calendar_days WHERE org_id = :o AND day = :d RETURNING day"),
                                               {"o": self._uow.org_id, "d": day})
        return deleted.first() is not None
