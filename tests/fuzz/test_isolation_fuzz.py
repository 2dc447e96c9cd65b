"""Isolation fuzzing: company A's callers send generated queries and mutations whose ids, cursors,
idempotency keys and filters are company B's (and, for the project-scoped callers, those of A's
other project). No answer may hold a row of theirs, and none of their rows may change: a digest
of B's tenant tables (and of the other project's rows) is the same before and after.

Every query and mutation root field that takes an ID, anywhere in its arguments, is tried on its
own, so a new field is covered without a change here; hypothesis then mixes fields freely.
Small by default; FUZZ_EXAMPLES=… (make proof) sends more of each."""

from __future__ import annotations

import uuid

import graphql
import hypothesis_graphql as hg
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes

from api.graphql.schema import schema as graphql_schema
from api.graphql.types.node import to_global_id
from tests.fuzz.pool import Pool, from_tables, node_types
from tests.fuzz.scalars import own_scalars
from tests.fuzz.world import EXAMPLES, changed, checksum, defects, foreign_hits, request_text, tenant_tables

SCHEMA = graphql_schema._schema


def _takes_id(type_: graphql.GraphQLInputType, seen: set[str]) -> bool:
    named = graphql.get_named_type(type_)
    if isinstance(named, graphql.GraphQLScalarType):
        return named.name == "ID"
    if isinstance(named, graphql.GraphQLInputObjectType) and named.name not in seen:
        seen.add(named.name)
        return any(_takes_id(f.type, seen) for f in named.fields.values())
    return False


def fields_taking_ids(root: graphql.GraphQLObjectType | None) -> list[str]:
    assert root is not None
    return sorted(name for name, f in root.fields.items() if any(_takes_id(a.type, set()) for a in f.args.values()))


def scalars(pool: Pool) -> dict[str, st.SearchStrategy]:
    """Every ID the generator writes is theirs; strings are often their cursors and keys."""
    theirs = sorted(pool.global_ids)
    forged = st.builds(to_global_id, st.sampled_from(node_types(SCHEMA)), st.sampled_from(sorted(pool.uuids)).map(_uuid))
    ids = st.one_of(st.sampled_from(theirs), st.sampled_from(theirs), forged, st.sampled_from(sorted(pool.uuids)))
    handles = sorted(pool.cursors | pool.keys) or ["-"]
    texts = st.one_of(st.sampled_from(handles), st.text(max_size=12))
    return {**own_scalars(), "ID": ids.map(nodes.String), "String": texts.map(nodes.String)}


def _uuid(value: str) -> uuid.UUID:
    return uuid.UUID(value)


@pytest.mark.parametrize("caller_name", ["org_admin", "project_agent", "api_key"])
async def test_other_company_and_project_handles_reach_nothing(world, b_pool, platform, owner_engine, caller_name):
    tables = await tenant_tables(owner_engine)
    pool = b_pool.copy()
    caller = world.callers()[caller_name]
    forbidden = set(pool.uuids)
    project_wall = caller_name != "org_admin"
    if project_wall:  # P1's callers also get the handles of A's P2
        p2 = await from_tables(platform, owner_engine, tables, SCHEMA, world.a.org_id, world.a.projects["P2"])
        pool.global_ids |= p2.global_ids
        pool.uuids |= p2.uuids
        forbidden |= p2.uuids
    custom = scalars(pool)
    b_before = await checksum(owner_engine, tables, world.b.org_id)
    p2_before = await checksum(owner_engine, tables, world.a.org_id, world.a.projects["P2"]) if project_wall else {}

    found: list[str] = []
    sent = 0

    def send(document: str) -> None:
        nonlocal sent
        response = caller.post(document)
        sent += 1
        hits = foreign_hits(response, forbidden, request_text(document, None))
        found.extend(f"{caller_name}: their row in the answer {h!r}\n  {document[:400]}" for h in hits[:3])
        found.extend(f"{caller_name}: {d}\n  {document[:400]}" for d in defects(response))

    def fuzz(strategy: st.SearchStrategy[str], examples: int) -> None:
        @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(document=strategy)
        def run(document: str) -> None:
            send(document)

        run()

    queries, mutations = fields_taking_ids(SCHEMA.query_type), fields_taking_ids(SCHEMA.mutation_type)
    assert len(queries) > 30 and len(mutations) > 100
    for name in queries:
        fuzz(hg.queries(SCHEMA, fields=[name], custom_scalars=custom), EXAMPLES)
    for name in mutations:
        fuzz(hg.mutations(SCHEMA, fields=[name], custom_scalars=custom), EXAMPLES)
    # Free combinations over every root field (several fields and aliases in one document).
    fuzz(st.one_of(hg.queries(SCHEMA, custom_scalars=custom), hg.mutations(SCHEMA, custom_scalars=custom)), 20 * EXAMPLES)

    assert sent >= len(queries) + len(mutations)
    assert changed(b_before, await checksum(owner_engine, tables, world.b.org_id)) == [], "company B's rows changed"
    if project_wall:
        assert changed(p2_before, await checksum(owner_engine, tables, world.a.org_id, world.a.projects["P2"])) == [], \
            "project P2's rows changed"
    assert found == [], "\n".join(found[:20])
