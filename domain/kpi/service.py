"""Evaluation settings' use cases, each in the caller's unit of work."""

from __future__ import annotations

from domain.kpi.commands import SetKpiWeights
from domain.kpi.model import as_values
from domain.kpi.repository import WeightsRepository
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission


async def set_kpi_weights(cmd: SetKpiWeights, uow: UnitOfWork) -> None:
    async with uow:
        uow.require(Permission.EVALUATION_MANAGE, None)
        chosen = cmd.weights.check()  # refused before the key is claimed, as the input is wrong whatever the key
        if await uow.claim(cmd.idempotency_key, "setKpiWeights", as_values(cmd.weights)) is not None:
            return
        weights = WeightsRepository(uow)
        company = weights.for_company()
        company.set(chosen, by=uow.actor)
        await weights.save(company)
        await uow.commit({"ok": True})
