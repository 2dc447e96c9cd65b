"""The SLA set-up's use cases, each in the caller's unit of work. The key is claimed before the
rules run, so a key used before with other input answers CONFLICT whatever the input."""

from __future__ import annotations

from domain.sla.commands import RemoveCalendarDay, RemoveSlaOverride, SetCalendarDay, SetEscalationLadder, SetSlaPolicy
from domain.sla.settings_repository import SettingsRepository
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission


async def set_sla_policy(cmd: SetSlaPolicy, uow: UnitOfWork) -> None:
    async with uow:
        uow.require(Permission.SLA_MANAGE, cmd.project_id)  # company-wide for a default, the project for an override
        if await uow.claim(cmd.idempotency_key, "setSlaPolicy", cmd.request) is not None:
            return
        repo = SettingsRepository(uow)
        settings = repo.for_company()
        policy = settings.set_policy(project_id=cmd.project_id, kind=cmd.kind, severity=cmd.severity, policy=cmd.policy,
                                     project_found=await repo.project_found(cmd.project_id))
        await repo.save_policy(project_id=cmd.project_id, kind=cmd.kind, severity=cmd.severity, policy=policy)
        await uow.commit({"ok": True})


async def remove_sla_override(cmd: RemoveSlaOverride, uow: UnitOfWork) -> None:
    async with uow:
        uow.require(Permission.SLA_MANAGE, cmd.project_id)
        if await uow.claim(cmd.idempotency_key, "removeSlaOverride", cmd.request) is not None:
            return
        repo = SettingsRepository(uow)
        found = await repo.delete_override(project_id=cmd.project_id, kind=cmd.kind, severity=cmd.severity)
        repo.for_company().override_removed(project_id=cmd.project_id, kind=cmd.kind, severity=cmd.severity, found=found)
        await uow.commit({"ok": True})


async def set_escalation_ladder(cmd: SetEscalationLadder, uow: UnitOfWork) -> None:
    async with uow:
        uow.require(Permission.SLA_MANAGE, None)
        if await uow.claim(cmd.idempotency_key, "setEscalationLadder", cmd.request) is not None:
            return
        repo = SettingsRepository(uow)
        await repo.save_ladder(repo.for_company().set_ladder(cmd.ladder))
        await uow.commit({"ok": True})


async def set_calendar_day(cmd: SetCalendarDay, uow: UnitOfWork) -> None:
    async with uow:
        uow.require(Permission.SLA_MANAGE, None)
        request = {"day": cmd.day.isoformat(), "working": cmd.working, "name": cmd.name}
        if await uow.claim(cmd.idempotency_key, "setCalendarDay", request) is not None:
            return
        repo = SettingsRepository(uow)
        name = repo.for_company().set_day(day=cmd.day, working=cmd.working, name=cmd.name)
        await repo.save_day(day=cmd.day, working=cmd.working, name=name)
        await uow.commit({"ok": True})


async def remove_calendar_day(cmd: RemoveCalendarDay, uow: UnitOfWork) -> None:
    async with uow:
        uow.require(Permission.SLA_MANAGE, None)
        if await uow.claim(cmd.idempotency_key, "removeCalendarDay", {"day": cmd.day.isoformat()}) is not None:
            return
        repo = SettingsRepository(uow)
        found = await repo.delete_day(cmd.day)
        repo.for_company().day_removed(day=cmd.day, found=found)
        await uow.commit({"ok": True})
