"""Adding a signed integration, switching it, rotating its secret: the same steps for every kind,
named by the aggregate's class and its KIND. The secret is made here,
returned once (None on a replayed idempotency key) and stored encrypted; it is never in an audit
row, an event or an idempotency result."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from uuid import UUID

from domain.errors import not_found
from domain.integrations.model import SignedIntegration
from domain.integrations.repository import IntegrationRows
from domain.signing import Encrypts, signing_secret
from domain.unit_of_work import UnitOfWork

Made = TypeVar("Made", bound=SignedIntegration)


async def add(cls: type[SignedIntegration], uow: UnitOfWork, *, project_id: UUID, name: str,
              own: dict[str, Any], idempotency_key: str | None, request: dict[str, Any],
              cipher: Encrypts, check: Callable[[UnitOfWork, SignedIntegration], Awaitable[None]] | None = None,
              ) -> tuple[UUID, str | None]:
    """The new integration's id and its secret. `own`: the kind's own columns; `request`: what the
    idempotency key is claimed for; `check`: what else the kind's rows must hold before it is added
    (a 12345 bridge's receiver works in the project), inside the transaction, after the project."""
    kind = cls.KIND
    uow.require(kind.permission, project_id)
    secret, stored = signing_secret(cipher)
    made = cls.add(org_id=uow.org_id, project_id=project_id, name=name, secret_enc=stored, by=uow.actor, **own)
    async with uow:
        if (done := await uow.claim(idempotency_key, f"add{kind.operation}", request)) is not None:
            return UUID(done["id"]), None
        repo = IntegrationRows(uow, kind)
        if not await repo.project_exists(project_id):
            raise not_found("The project", "projectId", zh="项目")
        if check is not None:
            await check(uow, made)
        await repo.add(made)
        await uow.commit({"id": str(made.id)})
    return made.id, secret


async def _locked(cls: type[Made], repo: IntegrationRows, uow: UnitOfWork, integration_id: UUID, field: str) -> Made:
    kind = cls.KIND
    row = await repo.locked(integration_id)
    if row is None:
        raise not_found(kind.noun, field, zh=kind.zh)
    uow.require(kind.permission, row.project_id, field)
    made = cls.from_row(row, uow.org_id)
    uow.track(made)
    return made


async def set_active(cls: type[SignedIntegration], uow: UnitOfWork, *, integration_id: UUID,
                     active: bool, idempotency_key: str | None, field: str = "integrationId") -> UUID:
    """`field`: the argument that named the integration, as its errors name it (a deprecated
    mutation's own, e.g. bridgeId)."""
    async with uow:
        request = {"integrationId": str(integration_id), "active": active}
        if (done := await uow.claim(idempotency_key, f"set{cls.KIND.operation}Active", request)) is not None:
            return UUID(done["id"])
        repo = IntegrationRows(uow, cls.KIND)
        made = await _locked(cls, repo, uow, integration_id, field)
        made.switch(active, by=uow.actor)
        await repo.save(made)
        await uow.commit({"id": str(made.id)})
    return made.id


async def rotate_secret(cls: type[SignedIntegration], uow: UnitOfWork, *, integration_id: UUID,
                        idempotency_key: str | None, cipher: Encrypts, field: str = "integrationId",
                        ) -> tuple[UUID, str | None]:
    """The new secret, in force at once: the old one's signatures are refused from now on."""
    async with uow:
        request = {"integrationId": str(integration_id)}
        if (done := await uow.claim(idempotency_key, f"rotate{cls.KIND.operation}Secret", request)) is not None:
            return UUID(done["id"]), None
        repo = IntegrationRows(uow, cls.KIND)
        made = await _locked(cls, repo, uow, integration_id, field)
        secret, stored = signing_secret(cipher)
        made.rotate_secret(stored, by=uow.actor)
        await repo.save(made)
        await uow.commit({"id": str(made.id)})
    return made.id, secret
