"""行为人 Who did something, as an object rather than a `user:<id>` label."""

from __future__ import annotations

from enum import Enum
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.api_key import ApiKey
from api.graphql.types.node import to_global_id
from api.graphql.types.viewer import User
from domain.actors import API_KEY_BY_ID, parse_actor, system_name

_NODE_TYPES = {"user": "User", "api_key": "ApiKey", "resident": "Resident"}


@strawberry.enum(description="行为人类型 A person, an integrator's API key, a resident through an owner app, or the system itself.")
class ActorKind(Enum):
    USER = "user"
    API_KEY = "api_key"
    RESIDENT = "resident"
    SYSTEM = "system"


@strawberry.type(description="行为人 Who did something: a person, an integrator's API key, or the system "
                             "(a worker, a sweep, the SLA scanner, a 12345 bridge).")
class Actor:
    user_id: strawberry.Private[UUID | None]
    kind: ActorKind
    id: strawberry.ID | None = strawberry.field(description="The User's, ApiKey's or Resident's global id, which node resolves; "
                                                            "null for the system.")
    display_name: str = strawberry.field(description="姓名 The person's display name, the key's name, the resident's name "
                                                     "(已删除住户 once erased), or 系统 System.")

    @strawberry.field(description="The person, when kind is USER.")
    async def user(self, info: Info) -> User | None:
        if self.user_id is None:
            return None
        row = await info.context.loaders.user_by_id.load(self.user_id)
        return User.from_row(row) if row else None


SYSTEM = Actor(user_id=None, kind=ActorKind.SYSTEM, id=None, display_name=system_name("system"))


async def actor_by_id(info: Info, value: UUID, claimed: str = "user") -> Actor:
    """A user or key of the caller's company by id; one that is not visible keeps its claimed
    kind and id but no name."""
    row = await info.context.loaders.actor_by_id.load(value)
    kind = row.kind if row is not None else claimed
    return Actor(user_id=value if kind == "user" and row is not None else None, kind=ActorKind(kind),
                 id=to_global_id(_NODE_TYPES[kind], value), display_name=row.name if row is not None else "未知 Unknown")


async def actor_of(info: Info, label: str) -> Actor:
    """The actor a record's label names (`user:<id>`, `api_key:<id>`, `system`, `bridge:<id>` …)."""
    kind, value = parse_actor(label)
    if value is None:
        return SYSTEM if kind == "system" else Actor(user_id=None, kind=ActorKind.SYSTEM, id=None, display_name=system_name(kind))
    return await actor_by_id(info, value, kind)


async def api_key(info: Info, key_id: UUID) -> ApiKey | None:
    """For node(id): a key of the caller's company."""
    row = await info.context.db.first(API_KEY_BY_ID, {"id": key_id})
    return ApiKey.from_row(row) if row else None
