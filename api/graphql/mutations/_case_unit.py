"""The shape every case transition shares: load the case locked, check the permission on its
project, apply the domain command, store it with its audit rows and events — once per
idempotency key — and return the case as it now is."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.mutations._unit import once as run_once, require_on, write
from api.graphql.types.case import Case
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from domain.cases.model import Actor, Case as CaseModel
from domain.cases.repository import CaseRepository
from domain.errors import not_found
from tenants.roles import Permission

Command = Callable[[CaseModel, Actor, datetime], None]
# Reads what a command needs beyond the case (another case, the roster) in the same transaction.
Before = Callable[[Any, CaseModel, datetime], Awaitable[None]]
# Every mutation's idempotencyKey argument takes its description from here, so it is said once.
IdempotencyKey = Annotated[
    str | None,
    strawberry.argument(description="Send the same key to retry safely: the first result is returned again for 48 hours; "
                                    "the same key with other input is a CONFLICT. Keys are scoped per caller — one login "
                                    "(user) or one API key — so two callers never share or see each other's keys."),
]


@strawberry.type
class CasePayload:
    case: Case | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def case_payload(info: Info, case_id: UUID) -> CasePayload:
    with contextlib.suppress(KeyError):  # a case read earlier in this request is stale now
        info.context.loaders.case_by_id.clear(case_id)
    row = await info.context.loaders.case_by_id.load(case_id)
    return CasePayload(case=Case.from_row(row) if row else None)


async def once(info: Info, conn, key: str | None, operation: str, payload: dict[str, Any], work) -> UUID:
    """Runs `work(conn) -> case id` unless this key already did; replays its result if so."""
    async def as_result(c) -> dict[str, Any]:
        return {"case_id": str(await work(c))}

    return UUID((await run_once(info, conn, key, operation, payload, as_result))["case_id"])


async def change_case(info: Info, *, case_id: strawberry.ID, permission: Permission, operation: str,
                      idempotency_key: str | None, payload: dict[str, Any], command: Command,
                      before: Before | None = None) -> CasePayload:
    """Raises what refuses the change: each case mutation is wrapped in `@user_errors(CasePayload)`."""
    cid = from_global_id(case_id, "Case", "caseId")
    p = info.context.require()

    async def apply(conn) -> UUID:
        repo = CaseRepository(conn)
        case = await repo.get_for_update(cid)
        if case is None:
            raise not_found("The case", "caseId")
        require_on(info, permission, case.project_id)
        actor = Actor(p.id, supervisor=p.can(Permission.CASE_SUPERVISE, case.project_id))
        now = datetime.now(UTC)
        if before is not None:
            await before(conn, case, now)
        command(case, actor, now)
        await repo.save(case)
        return case.id

    result = await write(info, lambda conn: once(info, conn, idempotency_key, operation,
                                                  {"caseId": str(case_id), **payload}, apply))
    return await case_payload(info, result)

