"""The floor of DESIGN §10: what the case list costs with no GraphQL at all — Starlette, one
asyncpg transaction with the same row-level security settings, the rows as JSON by orjson.
Run by bench/list_peers.py under uvicorn with two processes."""

from __future__ import annotations

import os
from uuid import UUID

import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

SQL = (
    "SELECT c.id, c.number, c.state, c.severity, c.received_at, c.commitment_due, "
    "  (SELECT p.name FROM projects p WHERE p.org_id = c.org_id AND p.id = c.project_id) AS project, "
    "  (SELECT u.display_name FROM users u WHERE u.org_id = c.org_id AND u.id = c.assignee_id) AS assignee "
    "FROM cases c WHERE c.project_id = $1 ORDER BY c.received_at DESC, c.id DESC LIMIT 20"
)
_pool: asyncpg.Pool | None = None


async def cases(request: Request) -> Response:
    global _pool
    if _pool is None:
        _pool = await asyncpg.create_pool(os.environ["DATABASE_URL"], min_size=4, max_size=20)
    body = orjson.loads(await request.body())
    async with _pool.acquire() as conn, conn.transaction():
        await conn.execute(f"SELECT set_config('app.org_id', '{UUID(os.environ['ORG_ID'])}', true), "
                           "set_config('app.project_ids', '*', true)")
        rows = await conn.fetch(SQL, UUID(body["variables"]["p"]))
    return Response(orjson.dumps({"data": {"cases": [dict(r) for r in rows]}}, default=str), media_type="application/json")


app = Starlette(routes=[Route("/graphql", cases, methods=["POST"])])
