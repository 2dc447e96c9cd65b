"""Telephony integrations and their calls in PostgreSQL. Every statement names the company;
row-level security walls it to the caller's projects (an inbound request's wall is its
integration's project), so another project's case or call is not found."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.integrations.kinds import IntegrationKind
from domain.integrations.repository import IntegrationRows
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission

# What makes these rows one kind of signed integration (domain/integrations/).
TELEPHONY = IntegrationKind(entity="telephony_integration", table="telephony_integrations", permission=Permission.CALLS_MANAGE,
                            operation="TelephonyIntegration", noun="The telephony integration", zh="话务对接",
                            columns=("ring_seconds",))

# Two deliveries of one call under different delivery ids queue here, so the second finds the first's row.
_LOCK_CALL = text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))")
_BY_EXTERNAL = text("SELECT id, direction, caller_phone_hash, queued_at, answered_at, ended_at, agent_user_id, case_id "
                    "FROM call_records WHERE org_id = :o AND integration_id = :i AND external_id = :x")
_INSERT_CALL = text(
    "INSERT INTO call_records (org_id, project_id, id, integration_id, external_id, direction, caller_phone_hash, "
    "caller_phone_masked, queued_at, answered_at, ended_at, abandoned, agent_user_id, case_id) VALUES (:o, :p, :id, :i, :x, "
    ":dir, :hash, :masked, :q, :a, :e, :abandoned, :agent, :case)")
_CALL_LOCKED = text("SELECT id, project_id, case_id FROM call_records WHERE org_id = :o AND id = :id FOR UPDATE")
_SET_CASE = text("UPDATE call_records SET case_id = :case WHERE org_id = :o AND id = :id")
_CASE_PROJECT = text("SELECT project_id FROM cases WHERE org_id = :o AND id = :id")
_AGENT = text("SELECT id FROM users WHERE org_id = :o AND username = :u")


class CallRepository(IntegrationRows):
    """The telephony integrations (domain/integrations/repository.py has their own rows), and their calls."""

    def __init__(self, uow: UnitOfWork) -> None:
        super().__init__(uow, TELEPHONY)

    async def lock_call(self, integration_id: UUID, external_id: str) -> None:
        await self._uow.conn.execute(_LOCK_CALL, {"k": f"{self._org}|telephony_integration:{integration_id}|{external_id}"})

    async def by_external(self, integration_id: UUID, external_id: str) -> Any:
        return await self._one(_BY_EXTERNAL, i=integration_id, x=external_id)

    async def add_call(self, values: dict[str, Any]) -> None:
        await self._uow.conn.execute(_INSERT_CALL, {"o": self._org, **values})

    async def call_locked(self, call_id: UUID) -> Any:
        return await self._one(_CALL_LOCKED, id=call_id)

    async def set_case(self, call_id: UUID, case_id: UUID) -> None:
        await self._uow.conn.execute(_SET_CASE, {"o": self._org, "id": call_id, "case": case_id})

    async def case_project(self, case_id: UUID) -> UUID | None:
        row = await self._one(_CASE_PROJECT, id=case_id)
        return row.project_id if row else None

    async def agent(self, username: str) -> UUID | None:
        row = await self._one(_AGENT, u=username)
        return row.id if row else None
