"""What acknowledgeAlert and resolveAlert return."""

from __future__ import annotations

import strawberry

from api.graphql.types.alert import Alert
from api.graphql.types.errors import UserError


@strawberry.type
class AlertPayload:
    alert: Alert | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
