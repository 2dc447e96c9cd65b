"""Strategies for the schema's own scalars, which neither schemathesis nor hypothesis-graphql
knows: amounts in fen, rates, JSON values; Date, Time and DateTime as ours are written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import schemathesis
from hypothesis import strategies as st
from hypothesis_graphql import nodes

_DAY = datetime(2026, 12, 1, tzinfo=UTC)


def _json() -> st.SearchStrategy:
    leaves = st.one_of(st.integers(-10**6, 10**6).map(nodes.Int), st.text(max_size=20).map(nodes.String), st.booleans().map(nodes.Boolean))
    return st.one_of(leaves, st.lists(leaves, max_size=3).map(nodes.List),
                     st.dictionaries(st.from_regex(r"[a-z]{1,8}", fullmatch=True), leaves, max_size=3).map(nodes.Object))


def own_scalars() -> dict[str, st.SearchStrategy]:
    moments = st.integers(-400 * 86_400, 400 * 86_400).map(lambda s: _DAY + timedelta(seconds=s))
    return {
        "Fen": st.one_of(st.integers(-(2**53), 2**53).map(nodes.Int), st.integers(0, 10**9).map(str).map(nodes.String)),
        "Rate1e4": st.integers(-(2**31), 2**31).map(nodes.Int),
        "JSON": _json(),
        "Date": st.one_of(moments.map(lambda m: m.date().isoformat()), st.text(max_size=12)).map(nodes.String),
        "Time": st.one_of(st.times().map(lambda t: t.isoformat()), st.text(max_size=8)).map(nodes.String),
        "DateTime": st.one_of(moments.map(lambda m: m.isoformat()), st.text(max_size=25)).map(nodes.String),
    }


def register_scalars() -> None:
    """schemathesis keeps its extra scalars in one registry for the process."""
    for name, strategy in own_scalars().items():
        schemathesis.graphql.scalar(name, strategy)
