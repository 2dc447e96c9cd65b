"""What the resident's case mutations share: their payload (the case as the resident sees it) and
the fields every change starts with."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from api.graphql.types.resident_self import ResidentCase
from domain.residents import reads


@strawberry.type
class ResidentCasePayload:
    case: ResidentCase | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def resident_case_payload(info: Info, case_id: UUID) -> ResidentCasePayload:
    resident_id = info.context.require().id
    db = info.context.db
    row = await reads.case(db, resident_id, case_id)
    if row is None:
        return ResidentCasePayload()
    profile = await reads.profile(db, resident_id)
    return ResidentCasePayload(case=ResidentCase.from_row(row, bool(profile and profile.resident_rating)))


def resident_changing(info: Info, case_id: strawberry.ID, idempotency_key: str | None) -> dict[str, Any]:
    """The case, parsed and as sent, the resident acting, the key (domain/cases/commands.py `ChangeCase`)."""
    return {"case_id": from_global_id(case_id, "Case", "caseId"), "case_ref": case_id, "actor_id": info.context.require().id,
            "idempotency_key": idempotency_key}
