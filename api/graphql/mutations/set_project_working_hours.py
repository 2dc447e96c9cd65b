from __future__ import annotations

from datetime import time

import strawberry
from sqlalchemy import text

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from api.graphql.types.project import Project
from domain.errors import DomainError, invalid, not_found
from domain.outbox import write_audit
from tenants.roles import Permission

_SET = text("UPDATE projects SET work_opens = :a, work_closes = :b WHERE id = :p RETURNING id")
_PROJECT = text("SELECT * FROM projects WHERE id = :p")


@strawberry.type
class ProjectPayload:
    project: Project | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.PROJECT_UPDATE)],
                     description="工作时间 The hours working-hours SLA clocks count on each working day (Beijing time).")
async def set_project_working_hours(info: Info, project_id: strawberry.ID, opens: time, closes: time,
                                    idempotency_key: IdempotencyKey = None) -> ProjectPayload:
    try:
        project = from_global_id(project_id, "Project", "projectId")
        require_on(info, Permission.PROJECT_UPDATE, project)
        if closes <= opens:
            raise invalid("Working hours must close after they open.", "closes")
        p = info.context.require()

        async def work(conn) -> dict:
            if (await conn.execute(_SET, {"a": opens, "b": closes, "p": project})).first() is None:
                raise not_found("The project", "projectId")
            await write_audit(conn, org_id=p.org_id, project_id=project, actor=p.actor, action="project.working_hours_set",
                              entity="project", entity_id=project, data={"opens": opens.isoformat(), "closes": closes.isoformat()})
            return {"ok": True}

        payload = {"projectId": project_id, "opens": opens.isoformat(), "closes": closes.isoformat()}
        await write(info, lambda conn: once(info, conn, idempotency_key, "setProjectWorkingHours", payload, work))
    except DomainError as e:
        return ProjectPayload(errors=[UserError.of(e)])
    row = await info.context.db.first(_PROJECT, {"p": project})
    return ProjectPayload(project=Project.from_row(row) if row else None)
