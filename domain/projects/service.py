"""Use cases on a project's settings, each in the caller's unit of work."""

from __future__ import annotations

from uuid import UUID

from domain.projects.commands import CompleteProvisioning, SetWorkingHours, UpdateProject
from domain.projects.repository import ProjectRepository
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission


async def complete_provisioning(cmd: CompleteProvisioning, uow: UnitOfWork) -> bool:
    """Marks the new project provisioned, once; False when there was nothing to do."""
    async with uow:
        project = await ProjectRepository(uow).mark_provisioned(cmd.project_id)
        if project is None:
            return False
        project.provisioned(cmd.event_id)
        await uow.commit()
    return True


async def set_working_hours(cmd: SetWorkingHours, uow: UnitOfWork) -> UUID:
    async with uow:
        uow.require(Permission.PROJECT_UPDATE, cmd.project_id)
        request = {"projectId": str(cmd.project_id), "opens": cmd.hours.opens.isoformat(), "closes": cmd.hours.closes.isoformat()}
        if await uow.claim(cmd.idempotency_key, "setProjectWorkingHours", request) is not None:
            return cmd.project_id
        projects = ProjectRepository(uow)
        project = await projects.get(cmd.project_id)
        project.set_working_hours(cmd.hours, by=uow.actor)
        await projects.save(project)
        await uow.commit({"ok": True})
    return project.id


async def update_project(cmd: UpdateProject, uow: UnitOfWork) -> UUID:
    async with uow:
        uow.require(Permission.PROJECT_UPDATE, cmd.project_id)
        request = {"projectId": str(cmd.project_id), "residentRating": cmd.resident_rating}
        if await uow.claim(cmd.idempotency_key, "updateProject", request) is not None:
            return cmd.project_id
        projects = ProjectRepository(uow)
        project = await projects.get(cmd.project_id)
        if cmd.resident_rating is not None:
            project.set_resident_rating(cmd.resident_rating, by=uow.actor)
        await projects.save(project)
        await uow.commit({"ok": True})
    return project.id
