from __future__ import annotations

from datetime import datetime

import strawberry

from api.context import Info
from api.graphql.types.api_key import ApiKey
from api.graphql.types.node import Connection, Edge, Node, PageInfo, decode_cursor, encode_cursor, page_size, to_global_id
from api.graphql.types.project import Project
from api.graphql.types.viewer import User
from domain.directory import reads
from domain.reads import Row
from tenants.roles import Permission


async def project_connection(info: Info, first: int | None, after: str | None) -> Connection[Project]:
    limit = page_size(first)
    after_code = decode_cursor(after)
    rows = await reads.project_page(info.context.db, after_code, limit + 1)
    if rows and after_code is None:
        total = rows[0].total
    else:  # the window count only covers rows after the cursor
        total = await reads.project_count(info.context.db)
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
        return [ApiKey.from_row(r) for r in await reads.api_keys(info.context.db)]

    @classmethod
    def from_row(cls, row: Row) -> Organization:
        return cls(id=to_global_id("Organization", row.org_id), slug=row.slug, name=row.name, created_at=row.created_at)


async def user_connection(info: Info, first: int | None, after: str | None) -> Connection[User]:
    limit = page_size(first)
    after_name = decode_cursor(after)
    rows = await reads.user_page(info.context.db, after_name, limit + 1)
    total = rows[0].total if rows and after_name is None else await reads.user_count(info.context.db)
    edges = [Edge(cursor=encode_cursor(r.username), node=User.from_row(r)) for r in rows[:limit]]
    return Connection(edges=edges, page_info=PageInfo(has_next_page=len(rows) > limit,
                                                      end_cursor=edges[-1].cursor if edges else None), total_count=total)
