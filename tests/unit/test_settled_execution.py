"""graphql-core answers as soon as a non-null field fails; the fields it had already started
must not outlive that answer, since the request's reads end with it."""

from __future__ import annotations

import asyncio

import strawberry

from api.graphql.execution import SettledExecution


def schema_recording(finished: list[str], **kwargs) -> strawberry.Schema:
    @strawberry.type
    class Query:
        @strawberry.field
        async def slow(self) -> int:
            await asyncio.sleep(0.05)
            finished.append("slow")
            return 1

        @strawberry.field
        def broken(self) -> int:  # fails synchronously, after `slow` has started
            raise ValueError("broken")

    return strawberry.Schema(Query, **kwargs)


async def test_a_failed_field_answers_only_after_its_started_siblings_finish():
    finished: list[str] = []
    result = await schema_recording(finished, execution_context_class=SettledExecution).execute("{ slow broken }")
    assert result.data is None and [e.path for e in result.errors] == [["broken"]]
    assert finished == ["slow"]


async def test_graphql_core_alone_answers_while_a_sibling_still_runs():
    """What the executor above exists for: without it, `slow` is still running at the answer."""
    finished: list[str] = []
    result = await schema_recording(finished).execute("{ slow broken }")
    assert result.data is None and finished == []
    await asyncio.sleep(0.1)
    assert finished == ["slow"]
