"""What the corrective-action mutations share: the payload and the id parser."""

from __future__ import annotations

from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.errors import UserError
from api.graphql.types.improvement import ImprovementAction, improvement_action
from api.graphql.types.node import from_global_id


@strawberry.type
class ImprovementActionPayload:
    action: ImprovementAction | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def action_payload(info: Info, action_id: UUID) -> ImprovementActionPayload:
    return ImprovementActionPayload(action=await improvement_action(info, action_id))


def parse_action_id(value: strawberry.ID) -> UUID:
    return from_global_id(value, "ImprovementAction", "actionId")
