from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from sqlalchemy import Row

from api.graphql.types.node import Node, to_global_id


@strawberry.enum
class ApiKeyAccess(Enum):
    READ = "read"
    READ_WRITE = "read_write"


@strawberry.type(description="An integrator API key. Only the prefix is ever shown after creation.")
class ApiKey(Node):
    prefix: str
    name: str
    access: ApiKeyAccess
    project_ids: list[strawberry.ID] | None = strawberry.field(description="Null: every project of the company.")
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: Row) -> ApiKey:
        return cls(
            id=to_global_id("ApiKey", row.id),
            prefix=row.prefix,
            name=row.name,
            access=ApiKeyAccess(row.access),
            project_ids=[to_global_id("Project", p) for p in row.project_ids] if row.project_ids is not None else None,
            expires_at=row.expires_at,
            revoked_at=row.revoked_at,
            last_used_at=row.last_used_at,
            created_at=row.created_at,
        )
