"""缴费对接 Payment integrations (docs/resident-services.md §6.4): an owner app's payment side that
collects the money itself and tells us, signed with the integration's own secret. One project
each, like a 12345 bridge or an outside body: one wall per source. Managed with `fee:manage`; the
secret is made here, returned once, stored encrypted, and never in an audit row, an event or an
idempotency result. The steps are every signed integration's (domain/integrations/)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.fees.commands import AddPaymentIntegration, RotatePaymentIntegrationSecret, SetPaymentIntegrationActive
from domain.fees.integration_repository import PAYMENT
from domain.integrations import service
from domain.integrations.model import SignedIntegration
from domain.signing import Encrypts
from domain.unit_of_work import UnitOfWork

@dataclass(kw_only=True)
class PaymentIntegration(SignedIntegration):
    """Off, its notifications are refused (403) until switched on again."""

    KIND = PAYMENT


async def add_payment_integration(cmd: AddPaymentIntegration, uow: UnitOfWork, *, cipher: Encrypts) -> tuple[UUID, str | None]:
    """The new integration's id and its secret (None on a replayed key: the secret is shown once)."""
    return await service.add(PaymentIntegration, uow, project_id=cmd.project_id, name=cmd.name, own={},
                             idempotency_key=cmd.idempotency_key,
                             request={"projectId": str(cmd.project_id), "name": cmd.name}, cipher=cipher)


async def set_payment_integration_active(cmd: SetPaymentIntegrationActive, uow: UnitOfWork) -> UUID:
    return await service.set_active(PaymentIntegration, uow, integration_id=cmd.integration_id, active=cmd.active,
                                    idempotency_key=cmd.idempotency_key)


async def rotate_payment_integration_secret(cmd: RotatePaymentIntegrationSecret, uow: UnitOfWork, *,
                                            cipher: Encrypts) -> tuple[UUID, str | None]:
    """The new secret, in force at once: the old one's signatures are refused from now on."""
    return await service.rotate_secret(PaymentIntegration, uow, integration_id=cmd.integration_id,
                                       idempotency_key=cmd.idempotency_key, cipher=cipher)
