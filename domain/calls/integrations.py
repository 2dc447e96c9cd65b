"""话务对接 Telephony integrations (docs/centre-day.md §8): a call centre's telephony system that
tells us of each call after it ends, signed with the integration's own secret. One project each,
as a payment integration: one wall per source. Managed with `calls:manage`; the secret is made
here, returned once, stored encrypted, and never in an audit row, an event or an idempotency
result. Linking a call to a case registered later is the desk's (`case:follow_up`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self
from uuid import UUID

from domain.calls.commands import (
    AddTelephonyIntegration, LinkCallToCase, RotateTelephonyIntegrationSecret, SetTelephonyIntegrationActive,
)
from domain.calls.repository import TELEPHONY, CallRepository
from domain.errors import invalid, not_found
from domain.integrations import service
from domain.integrations.model import SignedIntegration
from domain.signing import Encrypts
from domain.unit_of_work import Aggregate, AuditEntry, UnitOfWork
from tenants.roles import Permission


@dataclass(kw_only=True)
class TelephonyIntegration(SignedIntegration):
    """Off, its calls are refused (403) until switched on again."""

    KIND = TELEPHONY
    ring_seconds: int = 5

    @classmethod
    def add(cls, *, org_id: UUID, project_id: UUID, name: str, secret_enc: bytes, by: str, **own: Any) -> Self:
        if not 1 <= own["ring_seconds"] <= 60:
            raise invalid("一声铃的秒数须在 1 到 60 之间。ringSeconds must be 1–60.", "ringSeconds")
        return super().add(org_id=org_id, project_id=project_id, name=name, secret_enc=secret_enc, by=by, **own)


async def add_telephony_integration(cmd: AddTelephonyIntegration, uow: UnitOfWork, *,
                                    cipher: Encrypts) -> tuple[UUID, str | None]:
    """The new integration's id and its secret (None on a replayed key: the secret is shown once)."""
    return await service.add(TelephonyIntegration, uow, project_id=cmd.project_id, name=cmd.name,
                             own={"ring_seconds": cmd.ring_seconds}, idempotency_key=cmd.idempotency_key,
                             request={"projectId": str(cmd.project_id), "name": cmd.name, "ringSeconds": cmd.ring_seconds},
                             cipher=cipher)


async def set_telephony_integration_active(cmd: SetTelephonyIntegrationActive, uow: UnitOfWork) -> UUID:
    return await service.set_active(TelephonyIntegration, uow, integration_id=cmd.integration_id, active=cmd.active,
                                    idempotency_key=cmd.idempotency_key)


async def rotate_telephony_integration_secret(cmd: RotateTelephonyIntegrationSecret, uow: UnitOfWork, *,
                                              cipher: Encrypts) -> tuple[UUID, str | None]:
    """The new secret, in force at once: the old one's signatures are refused from now on."""
    return await service.rotate_secret(TelephonyIntegration, uow, integration_id=cmd.integration_id,
                                       idempotency_key=cmd.idempotency_key, cipher=cipher)


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
