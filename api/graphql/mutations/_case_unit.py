"""What the case mutations share: their payload, the idempotency key argument, and the case as
it now is (their use cases are domain/cases/service.py)."""

from __future__ import annotations

import contextlib
from typing import Annotated, Any
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.case import Case
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id

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


def changing(info: Info, case_id: strawberry.ID, idempotency_key: str | None) -> dict[str, Any]:
    """The fields every case change's command starts with (domain/cases/commands.py `ChangeCase`):
    the case, parsed and as sent, the person acting, the key."""
    return {"case_id": from_global_id(case_id, "Case", "caseId"), "case_ref": case_id, "actor_id": info.context.require().id,
            "idempotency_key": idempotency_key}
