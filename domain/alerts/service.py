"""Alert use cases: one function per command, run in the caller's unit of work. Each is the same
walk: claim the idempotency key, load the aggregate locked, check the permission on its project,
apply the rule, save, commit (the unit of work writes the audit row and the event)."""

from __future__ import annotations

from uuid import UUID

from domain.alerts.commands import AcknowledgeAlert, ResolveAlert, SetAlertSettings
from domain.alerts.model import settings_values
from domain.alerts.repository import AlertRepository, AlertSettingsRepository
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission


async def acknowledge_alert(cmd: AcknowledgeAlert, uow: UnitOfWork) -> UUID:
    async with uow:
        if (done := await uow.claim(cmd.idempotency_key, "acknowledgeAlert", {"alertId": str(cmd.alert_id)})) is not None:
            return UUID(done["id"])
        alerts = AlertRepository(uow)
        alert = await alerts.get(cmd.alert_id)
        uow.require(Permission.ALERT_HANDLE, alert.project_id)
        alert.acknowledge(by=uow.actor)
        await alerts.save(alert)
        await uow.commit({"id": str(alert.id)})
    return alert.id


async def resolve_alert(cmd: ResolveAlert, uow: UnitOfWork) -> UUID:
    async with uow:
        request = {"alertId": str(cmd.alert_id), "note": cmd.note}
        if (done := await uow.claim(cmd.idempotency_key, "resolveAlert", request)) is not None:
            return UUID(done["id"])
        alerts = AlertRepository(uow)
        alert = await alerts.get(cmd.alert_id)
        uow.require(Permission.ALERT_HANDLE, alert.project_id)
        alert.resolve(cmd.note, by=uow.actor)
        await alerts.save(alert)
        await uow.commit({"id": str(alert.id)})
    return alert.id


async def set_alert_settings(cmd: SetAlertSettings, uow: UnitOfWork) -> None:
    async with uow:
        uow.require(Permission.EVALUATION_MANAGE, None)
        chosen = cmd.settings.check()  # refused before the key is claimed
        if await uow.claim(cmd.idempotency_key, "setAlertSettings", settings_values(cmd.settings)) is not None:
            return
        settings = AlertSettingsRepository(uow)
        company = settings.for_company()
        company.set(chosen, by=uow.actor)
        await settings.save(company)
        await uow.commit({"ok": True})
