"""One rule for ids outside the caller's reach: a project or case of another company and one of
the caller's own company that it holds no grant on answer alike — NOT_FOUND — so an answer never
tells which ids exist. (Fields that look one object up by its id — `project`, `case`, `node` —
answer null instead, as Relay expects.) Both checks read through row-level security, by the
request's dataloaders: a field that goes on to show the object costs no extra statement."""

from __future__ import annotations

from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.node import from_global_id
from domain.errors import not_found


async def project_in_reach(info: Info, project_id: strawberry.ID | None, field: str = "projectId") -> UUID | None:
    """The project's id, or None when no project was named; NOT_FOUND when the caller cannot see it."""
    if not project_id:
        return None
    return await required_project_in_reach(info, project_id, field)


async def required_project_in_reach(info: Info, project_id: strawberry.ID, field: str = "projectId") -> UUID:
    """The same for a project the field requires: an empty id is no id (VALIDATION), not "none"."""
    value = from_global_id(project_id, "Project", field)
    scope = info.context.require().scope
    if not scope.allows(value) or await info.context.loaders.project_by_id.load(value) is None:
        raise not_found("The project", field, zh="项目")
    return value


async def case_in_reach(info: Info, case_id: strawberry.ID, field: str = "caseId") -> UUID:
    value = from_global_id(case_id, "Case", field)
    if await info.context.loaders.case_by_id.load(value) is None:
        raise not_found("The case", field, zh="工单")
    return value
