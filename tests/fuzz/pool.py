"""The other company's handles, for company A's callers to try: global ids of B's real rows (read
from B's tenant tables as B, and harvested from B's own answers), B's cursors and idempotency keys;
and the row ids no answer to A may hold."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

import graphql
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.graphql.types.node import to_global_id
from tenants.context import TenantScope
from tenants.platform import Platform
from tests.fuzz.world import Caller, decode, strings

IDS_PER_TABLE = 12


@dataclass
class Pool:
    global_ids: set[str] = field(default_factory=set)
    uuids: set[str] = field(default_factory=set)
    cursors: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)

    def copy(self) -> Pool:
        return Pool(set(self.global_ids), set(self.uuids), set(self.cursors), set(self.keys))


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _tables_for(type_name: str, tables: set[str]) -> list[str]:
    snake = _snake(type_name)
    words = snake.split("_")
    candidates = [snake + "s", snake + "es", snake[:-1] + "ies" if snake.endswith("y") else "", snake,
                  "_".join(words[:-1] + [words[-1] + "s"])]
    return [t for t in candidates if t in tables]


def node_types(schema: graphql.GraphQLSchema) -> list[str]:
    node = schema.get_type("Node")
    assert isinstance(node, graphql.GraphQLInterfaceType)
    return sorted(t.name for t in schema.get_implementations(node).objects)


async def from_tables(platform: Platform, owner_engine: AsyncEngine, tables: dict[str, dict[str, str]], schema: graphql.GraphQLSchema,
                      org_id: uuid.UUID, project_id: uuid.UUID | None = None) -> Pool:
    """B's rows as B reads them under its own wall (or one project's rows of a company)."""
    pool = Pool()
    ids: dict[str, list[str]] = {}
    async with platform.transaction(TenantScope(org_id)) as conn:
        for table, columns in tables.items():
            if columns.get("id") != "uuid" or (project_id is not None and "project_id" not in columns):
                continue
            where = "WHERE project_id = :p" if project_id is not None else ""
            ids[table] = [str(r[0]) for r in await conn.execute(
                text(f"SELECT id FROM {table} {where} ORDER BY id LIMIT {IDS_PER_TABLE}"), {"p": project_id})]
        if project_id is None:
            pool.keys = {r[0] for r in await conn.execute(text("SELECT key FROM idempotency_keys"))}
    # Every row's id is refused in an answer, not only the sampled ones.
    async with owner_engine.connect() as conn:
        for table, columns in tables.items():
            if columns.get("id") == "uuid" and (project_id is None or "project_id" in columns):
                where = "org_id = :o" + (" AND project_id = :p" if project_id is not None else "")
                pool.uuids |= {str(r[0]) for r in await conn.execute(text(f"SELECT id FROM {table} WHERE {where}"),
                                                                     {"o": org_id, "p": project_id})}
    if project_id is None:
        pool.uuids.add(str(org_id))
    else:
        pool.uuids.add(str(project_id))
    for type_name in node_types(schema):
        for table in _tables_for(type_name, set(ids)):
            pool.global_ids |= {to_global_id(type_name, uuid.UUID(u)) for u in ids[table]}
    return pool


def _selection(type_: graphql.GraphQLNamedType, depth: int) -> str:
    """The ids and cursors under a type, a few levels down, through fields without required arguments."""
    if not isinstance(type_, (graphql.GraphQLObjectType, graphql.GraphQLInterfaceType)) or depth == 0:
        return ""
    parts = []
    for name, f in type_.fields.items():
        inner = graphql.get_named_type(f.type)
        if name in ("id", "cursor", "endCursor") and isinstance(inner, graphql.GraphQLScalarType):
            parts.append(name)
        elif not any(graphql.is_non_null_type(a.type) and a.default_value is graphql.Undefined for a in f.args.values()):
            sub = _selection(inner, depth - 1)
            if sub:
                parts.append(f"{name} {{ {sub} }}")
    return " ".join(parts)


def harvest_queries(schema: graphql.GraphQLSchema) -> list[str]:
    queries = []
    assert schema.query_type is not None
    for name, f in schema.query_type.fields.items():
        if any(graphql.is_non_null_type(a.type) and a.default_value is graphql.Undefined for a in f.args.values()):
            continue
        sub = _selection(graphql.get_named_type(f.type), 4)
        if sub:
            queries.append(f"{{ {name} {{ {sub} }} }}")
    return queries


def harvest(caller: Caller, schema: graphql.GraphQLSchema, pool: Pool) -> int:
    """B's own answers to B: the global ids and cursors it is given, as A might have seen them in
    a URL or a log."""
    answered = 0
    for query in harvest_queries(schema):
        body = caller.post(query).json()
        if body.get("data"):
            answered += 1
        for s in strings(body.get("data")):
            decoded = decode(s) or ""
            if decoded.startswith("c1:"):
                pool.cursors.add(s)
            elif ":" in decoded and re.fullmatch(r"[A-Za-z]+:[0-9a-f-]{36}", decoded):
                pool.global_ids.add(s)
                pool.uuids.add(decoded.split(":", 1)[1])
    return answered
