"""缴费对接 Payment integrations (docs/resident-services.md §6.4): an owner app's payment side that
collects the money itself and tells us, signed with the integration's own secret. One project
each, like a 12345 bridge or an outside body: one wall per source. Managed with `fee:manage`; the
secret is made here, returned once, stored encrypted, and never in an audit row, an event or an
idempotency result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from domain.errors import not_found
from domain.fees.commands import AddPaymentIntegration, RotatePaymentIntegrationSecret, SetPaymentIntegrationActive
from domain.fees.integration_repository import IntegrationRepository
from domain.fees.model import text_field
from domain.signing import Encrypts, signing_secret
from domain.unit_of_work import Aggregate, AuditEntry, UnitOfWork
from tenants.roles import Permission


@dataclass(kw_only=True)
class PaymentIntegration(Aggregate):
    id: UUID
    org_id: UUID
    project_id: UUID
    name: str
    secret_enc: bytes
    active: bool = True

    @classmethod
    def add(cls, *, org_id: UUID, project_id: UUID, name: str, secret_enc: bytes, by: str) -> PaymentIntegration:
        made = cls(id=uuid4(), org_id=org_id, project_id=project_id, name=text_field(name, "name", zh="名称", max_len=100),
                   secret_enc=secret_enc)
        made._record("payment_integration.added", by, {"name": made.name})
        return made

    def switch(self, active: bool, *, by: str) -> None:
        """Off, its notifications are refused (403) until switched on again."""
        self.active = active
        self._record("payment_integration.switched", by, {"active": active})

    def rotate_secret(self, stored: bytes, *, by: str) -> None:
        self.secret_enc = stored
        self._record("payment_integration.secret_rotated", by, None)

    def _record(self, action: str, by: str, data: dict[str, Any] | None) -> None:
        self.audit.append(AuditEntry(action=action, entity="payment_integration", entity_id=self.id,
                                     project_id=self.project_id, data=data, actor=by))


async def add_payment_integration(cmd: AddPaymentIntegration, uow: UnitOfWork, *, cipher: Encrypts) -> tuple[UUID, str | None]:
    """The new integration's id and its secret (None on a replayed key: the secret is shown once)."""
    uow.require(Permission.FEE_MANAGE, cmd.project_id)
    secret, stored = signing_secret(cipher)
    made = PaymentIntegration.add(org_id=uow.org_id, project_id=cmd.project_id, name=cmd.name, secret_enc=stored, by=uow.actor)
    async with uow:
        request = {"projectId": str(cmd.project_id), "name": cmd.name}
        if (done := await uow.claim(cmd.idempotency_key, "addPaymentIntegration", request)) is not None:
            return UUID(done["id"]), None
        repo = IntegrationRepository(uow)
        if not await repo.project_exists(cmd.project_id):
            raise not_found("The project", "projectId", zh="项目")
        await repo.add(made)
        await uow.commit({"id": str(made.id)})
    return made.id, secret


async def _integration(repo: IntegrationRepository, uow: UnitOfWork, integration_id: UUID) -> PaymentIntegration:
    row = await repo.locked(integration_id)
    if row is None:
        raise not_found("The payment integration", "integrationId", zh="缴费对接")
    uow.require(Permission.FEE_MANAGE, row.project_id, "integrationId")
    made = PaymentIntegration(id=row.id, org_id=uow.org_id, project_id=row.project_id, name=row.name,
                              secret_enc=row.secret_enc, active=row.active)
    uow.track(made)
    return made


async def set_payment_integration_active(cmd: SetPaymentIntegrationActive, uow: UnitOfWork) -> UUID:
    async with uow:
        request = {"integrationId": str(cmd.integration_id), "active": cmd.active}
        if (done := await uow.claim(cmd.idempotency_key, "setPaymentIntegrationActive", request)) is not None:
            return UUID(done["id"])
        repo = IntegrationRepository(uow)
        made = await _integration(repo, uow, cmd.integration_id)
        made.switch(cmd.active, by=uow.actor)
        await repo.save(made)
        await uow.commit({"id": str(made.id)})
    return made.id


async def rotate_payment_integration_secret(cmd: RotatePaymentIntegrationSecret, uow: UnitOfWork, *,
                                            cipher: Encrypts) -> tuple[UUID, str | None]:
    """The new secret, in force at once: the old one's signatures are refused from now on."""
    async with uow:
        request = {"integrationId": str(cmd.integration_id)}
        if (done := await uow.claim(cmd.idempotency_key, "rotatePaymentIntegrationSecret", request)) is not None:
            return UUID(done["id"]), None
        repo = IntegrationRepository(uow)
        made = await _integration(repo, uow, cmd.integration_id)
        secret, stored = signing_secret(cipher)
        made.rotate_secret(stored, by=uow.actor)
        await repo.save(made)
        await uow.commit({"id": str(made.id)})
    return made.id, secret
