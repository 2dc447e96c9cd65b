from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from api.graphql.types.node import Node, to_global_id
from api.graphql.types.permission import PermissionType, as_enum
from domain.reads import Row
from tenants.auth.api_keys import key_permissions



@strawberry.enum
class ApiKeyAccess(Enum):
    READ = "read"
    READ_WRITE = "read_write"


@strawberry.type(description="An integrator API key. Only the prefix is ever shown after creation.")
class ApiKey(Node):
    prefix: str
    name: str
    access: ApiKeyAccess
    granted: strawberry.Private[list[str] | None]
    project_ids: list[strawberry.ID] | None = strawberry.field(description="Null: every project of the company.")
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    created_at: datetime

    @strawberry.field(description="What the key may do: read, plus the permissions it was granted — or, without a grant, "
                                  "what its access gives (READ_WRITE: register cases and the resident's confirmations "
                                  "and return visits, change projects and staff).")
    def permissions(self) -> list[PermissionType]:
        return as_enum(key_permissions(self.access.value, self.granted))

    @strawberry.field(description="Whether the key holds a grant of permissions (createApiKey(permissions)) rather than its access.")
    def granted_permissions(self) -> bool:
        return self.granted is not None

    @classmethod
    def from_row(cls, row: Row) -> ApiKey:
        return cls(
            id=to_global_id("ApiKey", row.id),
            prefix=row.prefix,
            name=row.name,
            access=ApiKeyAccess(row.access),
            granted=row.permissions,
            project_ids=[to_global_id("Project", p) for p in row.project_ids] if row.project_ids is not None else None,
            expires_at=row.expires_at,
            revoked_at=row.revoked_at,
            last_used_at=row.last_used_at,
            created_at=row.created_at,
        )
