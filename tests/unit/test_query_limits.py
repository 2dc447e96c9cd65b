"""The document limits code their own refusals as QUERY_TOO_COMPLEX where they are enforced — the
token bound while parsing, the depth and alias rules as they report — and a plain mistake in a
document stays GRAPHQL_PARSE_FAILED / GRAPHQL_VALIDATION_FAILED (coded later, by the view)."""

from __future__ import annotations

import pytest
from graphql import GraphQLError, GraphQLSyntaxError, parse, specified_rules, validate

from api.graphql.extensions import parsed
from api.graphql.schema import LIMITS, MAX_TOKENS, schema


def _code(error: GraphQLError) -> object:
    return (error.extensions or {}).get("code")


def test_a_document_over_the_token_bound_is_too_complex() -> None:
    long = "{ " + " ".join(f"a{i}: viewer {{ kind }}" for i in range(1000)) + " }"
    with pytest.raises(GraphQLError) as refused:
        parsed(long, MAX_TOKENS)
    assert _code(refused.value) == "QUERY_TOO_COMPLEX"
    assert refused.value.message == f"Syntax Error: Document contains more than {MAX_TOKENS} tokens. Parsing aborted."
    assert refused.value.locations  # where the parser stopped, as before


def test_comments_count_towards_the_bound() -> None:
    padded = "{ viewer { kind } }\n" + "# padding\n" * (MAX_TOKENS + 5)
    with pytest.raises(GraphQLError) as refused:
        parsed(padded, MAX_TOKENS)
    assert _code(refused.value) == "QUERY_TOO_COMPLEX"


def test_a_mistake_is_a_syntax_error_even_in_a_long_document() -> None:
    broken = "{ viewer { kind } " + " ".join(f"a{i}: viewer {{ kind }}" for i in range(1000)) + " }"
    early = "{ viewer { kind } ) " + " ".join(f"a{i}: viewer {{ kind }}" for i in range(1000)) + " }"
    with pytest.raises(GraphQLSyntaxError) as mistake:
        parsed(early, MAX_TOKENS)
    assert not _code(mistake.value)  # the view codes it GRAPHQL_PARSE_FAILED
    with pytest.raises(GraphQLError) as refused:
        parsed(broken, MAX_TOKENS)  # well formed up to the bound: the bound's
    assert _code(refused.value) == "QUERY_TOO_COMPLEX"


def test_a_mistake_right_at_the_bound() -> None:
    """A mistake in the last token within the bound is the document's; in the first token past
    it, the parser never looks at it: the bound's, as graphql-core reports it."""
    def code(names: int) -> object:
        try:
            parsed("{ " + "a " * names + ") }", MAX_TOKENS)
        except GraphQLError as e:
            return _code(e)
        raise AssertionError("parsed")

    assert code(MAX_TOKENS - 2) is None  # `)` is token 2,000
    assert code(MAX_TOKENS - 1) == "QUERY_TOO_COMPLEX"  # `)` is token 2,001


def test_a_document_within_the_bound_parses_and_is_kept() -> None:
    text = "{ viewer { kind } }"
    assert parsed(text, MAX_TOKENS) is parsed(text, MAX_TOKENS)


def test_depth_and_alias_rules_code_what_they_report() -> None:
    rules = (*specified_rules, *LIMITS.rules)
    deep = parse("query Deep { " + "organization { " * 50 + "slug" + " }" * 50 + " }")
    aliases = parse("{ " + " ".join(f"a{i}: viewer {{ kind }}" for i in range(40)) + " }")
    for document in (deep, aliases):
        errors = validate(schema._schema, document, rules)
        limited = [e for e in errors if _code(e) == "QUERY_TOO_COMPLEX"]
        assert limited, [e.message for e in errors]
    unknown = validate(schema._schema, parse("{ noSuchField }"), rules)
    assert unknown and not any(_code(e) for e in unknown)  # the view codes it GRAPHQL_VALIDATION_FAILED
