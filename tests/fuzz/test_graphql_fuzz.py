"""GraphQL fuzzing against the running server: schemathesis, in its GraphQL mode, generates valid
documents for every query and mutation root field from the schema the server shows (arguments,
input objects, enums and scalars of every kind) and sends them as an org admin, a project agent and
an API key — valid documents, and documents with one violation of the schema (its negative mode).
No answer may be a 5xx, and every error carries a stable code other than INTERNAL.

Small by default (FUZZ_EXAMPLES=1: one document per field and caller); `make proof` sends more."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from schemathesis import GenerationMode
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from api.graphql.schema import schema as graphql_schema
from tests.fuzz.world import EXAMPLES, defects
from tests.fuzz.scalars import register_scalars


_loaded: dict[str, Any] = {}


def served_schema(world, caller) -> Any:
    """The schema as the server shows it, read once (introspection needs a signed-in caller)."""
    if world.server.url not in _loaded:
        register_scalars()
        _loaded[world.server.url] = schemathesis.graphql.from_url(f"{world.server.url}/graphql", headers=caller.headers)
    return _loaded[world.server.url]


@pytest.mark.parametrize("caller_name", ["org_admin", "project_agent", "api_key"])
async def test_generated_operations_get_no_5xx_and_no_internal_error(world, caller_name):
    caller = world.callers()[caller_name]
    schema = served_schema(world, caller)
    operations = [result.ok() for result in schema.get_all_operations()]
    roots = graphql_schema._schema
    assert len(operations) == len(roots.query_type.fields) + len(roots.mutation_type.fields), "every query and mutation root field"
    found: list[str] = []
    sent = 0

    for operation in operations:
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=False, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(case=st.one_of(operation.as_strategy(), operation.as_strategy(GenerationMode.NEGATIVE)))
        def send(case) -> None:
            nonlocal sent
            response = case.call(headers=caller.headers, timeout=60)
            caller.note(response)
            sent += 1
            found.extend(f"{case.operation.label}: {d}\n  {case.body[:400]}" for d in defects(response))

        send()
    assert sent >= len(operations)
    assert found == [], "\n".join(found[:20])
