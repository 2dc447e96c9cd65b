"""Schema guards: every mutation declares its permission, and docs/schema.graphql is current."""

from __future__ import annotations

from pathlib import Path

from api.graphql.permissions import Public, RequiresPermission
from api.graphql.schema import schema

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_MUTATIONS = {"login", "refreshToken", "logout"}


def _fields(type_name: str):
    definition = schema.get_type_by_name(type_name)
    return {schema.config.name_converter.get_graphql_name(f): f for f in definition.fields}


def test_every_mutation_declares_exactly_one_permission():
    for name, field in _fields("Mutation").items():
        declared = [p for p in field.permission_classes if issubclass(p, (RequiresPermission, Public))]
        assert len(declared) == 1, f"mutation {name} must declare Requires(...) or Public"
        if issubclass(declared[0], Public):
            assert name in PUBLIC_MUTATIONS, f"mutation {name} is public but not on the reviewed list"


def test_every_root_query_field_declares_a_permission():
    for name, field in _fields("Query").items():
        assert any(issubclass(p, RequiresPermission) for p in field.permission_classes), f"query {name} lacks a permission"


def test_every_subscription_field_declares_a_permission():
    fields = _fields("Subscription")
    assert fields, "the schema has subscriptions"
    for name, field in fields.items():
        assert any(issubclass(p, RequiresPermission) for p in field.permission_classes), f"subscription {name} lacks a permission"


def test_docs_schema_is_current():
    written = (ROOT / "docs" / "schema.graphql").read_text()
    assert written.strip() == schema.as_str().strip(), "run `make schema` and commit docs/schema.graphql"


async def test_repeated_query_hits_the_parser_and_validation_caches(gql, org):
    from api.graphql.admission import results
    from api.graphql.extensions import parsed

    token = await gql.login(org)
    query = "{ viewer { kind } organization { slug } }"
    await gql(query, token=token)
    parse_hits, validate_hits = parsed.cache_info().hits, results.hits
    for _ in range(3):
        assert "errors" not in await gql(query, token=token)
    assert parsed.cache_info().hits - parse_hits >= 3
    assert results.hits - validate_hits >= 3, "validation rules must be built once, not per request"


def test_every_idempotency_key_says_it_is_scoped_per_caller():
    described = {}
    for name, field in _fields("Mutation").items():
        for argument in field.arguments:
            if argument.python_name == "idempotency_key":
                described[name] = argument.description or ""
    assert len(described) > 40, "the mutations take idempotency keys"
    for name, description in described.items():
        assert "scoped per caller" in description and "API key" in description, f"{name}.idempotencyKey"
