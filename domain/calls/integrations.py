"""话务对接 Telephony integrations (docs/centre-day.md §8): a call centre's telephony system that
tells us of each call after it ends, signed with the integration's own secret. One project each,
as a payment integration: one wall per source. Managed with `calls:manage`; the secret is made
here, returned once, stored encrypted, and never in an audit row, an event or an idempotency
result. Linking a call to a case registered later is the desk's (`case:follow_up`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from domain.calls.commands import (
    AddTelephonyIntegration, LinkCallToCase, RotateTelephonyIntegrationSecret, SetTelephonyIntegrationActive,
)
from domain.calls.repository import CallRepository
from domain.errors import invalid, not_found
from domain.fees.model import text_field
from domain.signing import Encrypts, signing_secret
from domain.unit_of_work import Aggregate, AuditEntry, UnitOfWork
from tenants.roles import Permission


@dataclass(kw_only=True)
class TelephonyIntegration(Aggregate):
    id: UUID
    org_id: UUID
    project_id: UUID
    name: str
    secret_enc: bytes
    ring_seconds: int = 5
    active: bool = True

    @classmethod
    def add(cls, *, org_id: UUID, project_id: UUID, name: str, ring_seconds: int, secret_enc: bytes,
            by: str) -> TelephonyIntegration:
        if not 1 <= ring_seconds <= 60:
            raise invalid("一声铃的秒数须在 1 到 60 之间。ringSeconds must be 1–60.", "ringSeconds")
        made = cls(id=uuid4(), org_id=org_id, project_id=project_id, name=text_field(name, "name", zh="名称", max_len=100),
                   secret_enc=secret_enc, ring_seconds=ring_seconds)
        made._record("telephony_integration.added", by, {"name": made.name, "ring_seconds": ring_seconds})
        return made

    def switch(self, active: bool, *, by: str) -> None:
        """Off, its calls are refused (403) until switched on again."""
        self.active = active
        self._record("telephony_integration.switched", by, {"active": active})

    def rotate_secret(self, stored: bytes, *, by: str) -> None:
        self.secret_enc = stored
        self._record("telephony_integration.secret_rotated", by, None)

    def _record(self, action: str, by: str, data: dict[str, Any] | None) -> None:
        self.audit.append(AuditEntry(action=action, entity="telephony_integration", entity_id=self.id,
                                     project_id=self.project_id, data=data, actor=by))


async def add_telephony_integration(cmd: AddTelephonyIntegration, uow: UnitOfWork, *,
                                    cipher: Encrypts) -> tuple[UUID, str | None]:
    """The new integration's id and its secret (None on a replayed key: the secret is shown once)."""
    uow.require(Permission.CALLS_MANAGE, cmd.project_id)
    secret, stored = signing_secret(cipher)
    made = TelephonyIntegration.add(org_id=uow.org_id, project_id=cmd.project_id, name=cmd.name, ring_seconds=cmd.ring_seconds,
                                    secret_enc=stored, by=uow.actor)
    async with uow:
        request = {"projectId": str(cmd.project_id), "name": cmd.name, "ringSeconds": cmd.ring_seconds}
        if (done := await uow.claim(cmd.idempotency_key, "addTelephonyIntegration", request)) is not None:
            return UUID(done["id"]), None
        repo = CallRepository(uow)
        if not await repo.project_exists(cmd.project_id):
            raise not_found("The project", "projectId", zh="项目")
        await repo.add(made)
        await uow.commit({"id": str(made.id)})
    return made.id, secret


async def _integration(repo: CallRepository, uow: UnitOfWork, integration_id: UUID) -> TelephonyIntegration:
    row = await repo.locked(integration_id)
    if row is None:
        raise not_found("The telephony integration", "integrationId", zh="话务对接")
    uow.require(Permission.CALLS_MANAGE, row.project_id, "integrationId")
    made = TelephonyIntegration(id=row.id, org_id=uow.org_id, project_id=row.project_id, name=row.name,
                                secret_enc=row.secret_enc, ring_seconds=row.ring_seconds, active=row.active)
    uow.track(made)
    return made


async def set_telephony_integration_active(cmd: SetTelephonyIntegrationActive, uow: UnitOfWork) -> UUID:
    async with uow:
        request = {"integrationId": str(cmd.integration_id), "active": cmd.active}
        if (done := await uow.claim(cmd.idempotency_key, "setTelephonyIntegrationActive", request)) is not None:
            return UUID(done["id"])
        repo = CallRepository(uow)
        made = await _integration(repo, uow, cmd.integration_id)
        made.switch(cmd.active, by=uow.actor)
        await repo.save(made)
        await uow.commit({"id": str(made.id)})
    return made.id


async def rotate_telephony_integration_secret(cmd: RotateTelephonyIntegrationSecret, uow: UnitOfWork, *,
                                              cipher: Encrypts) -> tuple[UUID, str | None]:
    """The new secret, in force at once: the old one's signatures are refused from now on."""
    async with uow:
        request = {"integrationId": str(cmd.integration_id)}
        if (done := await uow.claim(cmd.idempotency_key, "rotateTelephonyIntegrationSecret", request)) is not None:
            return UUID(done["id"]), None
        repo = CallRepository(uow)
        made = await _integration(repo, uow, cmd.integration_id)
        secret, stored = signing_secret(cipher)
        made.rotate_secret(stored, by=uow.actor)
        await repo.save(made)
        await uow.commit({"id": str(made.id)})
    return made.id, secret


async def link_call_to_case(cmd: LinkCallToCase, uow: UnitOfWork) -> UUID:
    """A call whose case was registered afterwards: the case must be of the call's project. Linked
    again, the link is replaced (the audit row keeps the one it replaced)."""
    async with uow:
        request = {"callId": str(cmd.call_id), "caseId": str(cmd.case_id)}
        if (done := await uow.claim(cmd.idempotency_key, "linkCallToCase", request)) is not None:
            return UUID(done["id"])
        repo = CallRepository(uow)
        call = await repo.call_locked(cmd.call_id)
        call_id: UUID | None = call.id if call is not None else None
        if call is None or call_id is None:
            raise not_found("The call", "callId", zh="通话记录")
        uow.require(Permission.CASE_FOLLOW_UP, call.project_id, "callId")
        if await repo.case_project(cmd.case_id) != call.project_id:
            raise not_found("The case", "caseId", zh="工单")
        if call.case_id != cmd.case_id:
            await repo.set_case(call.id, cmd.case_id)
            uow.track(Aggregate(audit=[AuditEntry(
                action="call.linked", entity="call_record", entity_id=call.id, project_id=call.project_id,
                data={"case_id": str(cmd.case_id), "was": str(call.case_id) if call.case_id else None})]))
        await uow.commit({"id": str(call_id)})
    return call_id
