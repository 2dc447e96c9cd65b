"""A mutation's unit of work: one transaction in the caller's tenant scope, database refusals
turned into coded errors. The domain and tenants functions do the work inside it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from api.context import Info
from domain.errors import DomainError, ErrorCode
from tenants.db_errors import translate
from tenants.roles import Permission

T = TypeVar("T")


async def write(info: Info, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
    principal = info.context.require()
    try:
        async with info.context.platform.transaction(principal.scope) as conn:
            return await work(conn)
    except DBAPIError as exc:
        error = translate(exc)
        if error is None:
            raise
        raise error from exc


def require_on(info: Info, permission: Permission, project_id=None) -> None:
    """The caller must hold `permission` on this project (or company-wide when None)."""
    principal = info.context.require()
    if not principal.can(permission, project_id):
        where = "this project" if project_id else "the whole company"
        raise DomainError(ErrorCode.FORBIDDEN, f"You need {permission.value} on {where}.")
