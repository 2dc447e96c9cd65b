"""12345 热线对接 The 12345 bridge as a signed integration (domain/integrations/), like a payment or
telephony integration: added with a name and an encrypted secret, switched off and on, its secret
rotated — the same steps, audit rows, `updated_at` and idempotency keys. What is its own: the city
whose deadlines its orders take, the callback address our answers go back to (signed with the same
secret, so a rotation is in force both ways at once), and its receiver (首问), who must work in the
project. Managed with `gov_bridge:manage`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self
from uuid import UUID

from domain.gov.commands import AddGovBridge, RotateGovBridgeSecret, SetGovBridgeActive
from domain.gov.model import check_bridge_name, check_callback_url, check_city
from domain.gov.repository import GOV, BridgeRepository
from domain.integrations import service
from domain.integrations.model import SignedIntegration
from domain.signing import Encrypts
from domain.unit_of_work import UnitOfWork


@dataclass(kw_only=True)
class GovBridge(SignedIntegration):
    """Off, what the bridge sends is refused (403) until switched on again; answers owed still go back."""

    KIND = GOV
    city: str
    callback_url: str
    receiver_id: UUID

    @classmethod
    def add(cls, *, org_id: UUID, project_id: UUID, name: str, secret_enc: bytes, by: str, **own: Any) -> Self:
        """`own`: city, callback_url, receiver_id and allow_loopback (whether the callback may be a local address)."""
        allow_loopback = own.pop("allow_loopback")
        own = {"city": check_city(own["city"]),
               "callback_url": check_callback_url(own["callback_url"], allow_loopback=allow_loopback),
               "receiver_id": own["receiver_id"]}
        return super().add(org_id=org_id, project_id=project_id, name=check_bridge_name(name), secret_enc=secret_enc, by=by,
                           **own)


async def _receiver_works_there(uow: UnitOfWork, made: SignedIntegration) -> None:
    assert isinstance(made, GovBridge)
    await BridgeRepository(uow).check_receiver(made.project_id, made.receiver_id)


async def add_gov_bridge(cmd: AddGovBridge, uow: UnitOfWork, *, cipher: Encrypts,
                         allow_loopback: bool) -> tuple[UUID, str | None]:
    """The new bridge's id and its signing secret (None on a replayed key: shown once)."""
    request = {"projectId": str(cmd.project_id), "name": cmd.name, "city": cmd.city, "callbackUrl": cmd.callback_url,
               "receiverId": str(cmd.receiver_id)}
    own = {"city": cmd.city, "callback_url": cmd.callback_url, "receiver_id": cmd.receiver_id, "allow_loopback": allow_loopback}
    return await service.add(GovBridge, uow, project_id=cmd.project_id, name=cmd.name, own=own,
                             idempotency_key=cmd.idempotency_key, request=request, cipher=cipher, check=_receiver_works_there)


async def set_gov_bridge_active(cmd: SetGovBridgeActive, uow: UnitOfWork, *, field: str = "integrationId") -> UUID:
    """`field`: the argument that named the bridge (bridgeId on the deprecated mutation)."""
    return await service.set_active(GovBridge, uow, integration_id=cmd.bridge_id, active=cmd.active,
                                    idempotency_key=cmd.idempotency_key, field=field)


async def rotate_gov_bridge_secret(cmd: RotateGovBridgeSecret, uow: UnitOfWork, *, cipher: Encrypts,
                                   field: str = "integrationId") -> tuple[UUID, str | None]:
    """The new secret, in force at once both ways (None on a replayed key: shown once)."""
    return await service.rotate_secret(GovBridge, uow, integration_id=cmd.bridge_id, idempotency_key=cmd.idempotency_key,
                                       cipher=cipher, field=field)
