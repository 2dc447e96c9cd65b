"""The caller's unit of work (domain/unit_of_work.py), and the older helpers that mutations not yet
written as command → service still use: `write` (one transaction in the caller's tenant scope,
database refusals turned into coded errors) and `once` (an idempotency key)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from api.context import Info
from domain.errors import DomainError, ErrorCode, not_found
from domain.unit_of_work import UnitOfWork
from tenants import idempotency
from tenants.roles import Permission

if TYPE_CHECKING:  # for the annotations only: a mutation module holds no SQL of its own
    from sqlalchemy.ext.asyncio import AsyncConnection

T = TypeVar("T")


def unit_of_work(info: Info) -> UnitOfWork:
    """A unit of work for the signed-in caller: its company, scope, actor label and permissions."""
    p = info.context.require()
    return UnitOfWork(info.context.platform, org_id=p.org_id, actor=p.actor, scope=p.scope, may=p.can)


async def write(info: Info, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
    async with unit_of_work(info) as uow:
        result = await work(uow.conn)
        await uow.commit()
        return result


def require_on(info: Info, permission: Permission, project_id=None, field: str = "projectId") -> None:
    """The caller must hold `permission` on this project (or company-wide when None). A project
    outside the caller's reach is NOT_FOUND, as one of another company is (api/graphql/reach.py);
    the mutation's own reads under row-level security find neither."""
    principal = info.context.require()
    if project_id is not None and not principal.scope.allows(project_id):
        raise not_found("The project", field)
    if not principal.can(permission, project_id):
        where = "this project" if project_id else "the whole company"
        raise DomainError(ErrorCode.FORBIDDEN, f"You need {permission.value} on {where}.")


async def once(info: Info, conn: AsyncConnection, key: str | None, operation: str, payload: dict[str, Any],
               work: Callable[[AsyncConnection], Awaitable[dict[str, Any]]]) -> dict[str, Any]:
    """Runs `work(conn) -> result` unless this idempotency key already did; replays its result if so.
    Results are small JSON (ids), never secrets: they are stored for 48 hours."""
    p = info.context.require()
    if key is not None:
        replay = await idempotency.claim(conn, org_id=p.org_id, principal=p.actor, key=key, operation=operation, payload=payload)
        if replay is not None:
            return replay
    result = await work(conn)
    if key is not None:
        await idempotency.remember(conn, org_id=p.org_id, principal=p.actor, key=key, response=result)
    return result
