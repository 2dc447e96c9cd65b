from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy import Row, text

from api.context import Info
from api.dataloaders.project_by_id import PROJECT_COLUMNS
from api.graphql.types.api_key import ApiKey
from domain.actors import API_KEY_COLUMNS
from api.graphql.types.node import Connection, Edge, Node, PageInfo, decode_cursor, encode_cursor, page_size, to_global_id
from api.graphql.types.project import Project
from api.graphql.types.viewer import User
from tenants.roles import Permission

# Row-level security limits both statements to the caller's company and projects.
_PAGE = text(
    f"SELECT {PROJECT_COLUMNS}, count(*) OVER () AS total FROM projects "
    "WHERE (CAST(:after AS text) IS NULL OR code > :after) ORDER BY code LIMIT :limit"
)
_COUNT = text("SELECT count(*) AS total FROM projects")
_KEYS = text(
    f"SELECT {API_KEY_COLUMNS} FROM api_keys ORDER BY created_at DESC, id LIMIT 200"
)


async def project_connection(info: Info, first: int | None, after: str | None) -> Connection[Project]:
    limit = page_size(first)
    after_code = decode_cursor(after)
    rows = await info.context.db.all(_PAGE, {"after": after_code, "limit": limit + 1})
    if rows and after_code is None:
        total = rows[0].total
    else:  # the window count only covers rows after the cursor
        total = (await info.context.db.first(_COUNT)).total
    edges = [Edge(cursor=encode_cursor(r.code), node=Project.from_row(r)) for r in rows[:limit]]
    return Connection(
        edges=edges,
        page_info=PageInfo(has_next_page=len(rows) > limit, end_cursor=edges[-1].cursor if edges else None),
        total_count=total,
    )


@strawberry.type(description="物业服务企业 A property-management company")
class Organization(Node):
    slug: str
    name: str
    created_at: datetime

    @strawberry.field(description="Projects visible to the caller, ordered by code.")
    async def projects(self, info: Info, first: int | None = 20, after: str | None = None) -> Connection[Project]:
        info.context.require(Permission.PROJECT_READ)
        return await project_connection(info, first, after)

    @strawberry.field(description="用户 Logins of the company, by username (org admins only).")
    async def users(self, info: Info, first: int | None = 20, after: str | None = None) -> Connection[User]:
        info.context.require(Permission.USER_MANAGE)
        return await user_connection(info, first, after)

    @strawberry.field(description="Integrator API keys (org admins only). Secrets are never shown again.")
    async def api_keys(self, info: Info) -> list[ApiKey]:
        info.context.require(Permission.API_KEY_MANAGE)
        return [ApiKey.from_row(r) for r in await info.context.db.all(_KEYS)]

    @classmethod
    def from_row(cls, row: Row) -> Organization:
        return cls(id=to_global_id("Organization", row.org_id), slug=row.slug, name=row.name, created_at=row.created_at)


_USERS = text(
    "SELECT id, username, display_name, active, staff_id, created_at, count(*) OVER () AS total FROM users "
    "WHERE (CAST(:after AS text) IS NULL OR username > :after) ORDER BY username LIMIT :limit"
)
_USER_COUNT = text("SELECT count(*) AS total FROM users")


async def user_connection(info: Info, first: int | None, after: str | None) -> Connection[User]:
    limit = page_size(first)
    after_name = decode_cursor(after)
    rows = await info.context.db.all(_USERS, {"after": after_name, "limit": limit + 1})
    total = rows[0].total if rows and after_name is None else (await info.context.db.first(_USER_COUNT)).total
    edges = [Edge(cursor=encode_cursor(r.username), node=User.from_row(r)) for r in rows[:limit]]
    return Connection(edges=edges, page_info=PageInfo(has_next_page=len(rows) > limit,
                                                      end_cursor=edges[-1].cursor if edges else None), total_count=total)
