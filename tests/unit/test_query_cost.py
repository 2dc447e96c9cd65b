"""The query cost limit (api/graphql/cost.py): how an operation is weighed, that every operation
the console and the owner-app guide send is admitted, and that costly documents are refused with
QUERY_TOO_COMPLEX and their cost. Through HTTP and the websocket: tests/api/test_validation_cost.py
and tests/api/test_subscriptions.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import (
    DocumentNode, FragmentDefinitionNode, OperationDefinitionNode, parse, print_ast, specified_rules, type_from_ast, validate,
    value_from_ast,
)

from api.graphql.admission import too_costly
from api.graphql.cost import DEFAULT_LIST_SIZE, FIRST_CEILING, INTROSPECTION_COST, MAX_COST, Costing, Weights, cost_of
from api.graphql.schema import LIMITS, schema
from tests.api.test_owner_app_doc import DOCUMENTS as GUIDE_DOCUMENTS

SCHEMA = schema._schema
CONSOLE = Path(__file__).resolve().parents[2] / "console" / "src"


def _console_operations() -> list[tuple[str, DocumentNode]]:
    """Each operation of the console with the fragments it may spread, as codegen ships it."""
    texts = [m.group(1) for path in sorted(CONSOLE.rglob("*.ts*")) if "gql" not in path.relative_to(CONSOLE).parts
             for m in re.finditer(r"graphql\(\s*`(.*?)`", path.read_text(encoding="utf-8"), re.S)]
    definitions = [d for text in texts for d in parse(text).definitions]
    fragments = {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}

    def used(node: object) -> list[FragmentDefinitionNode]:
        found: dict[str, FragmentDefinitionNode] = {}
        pending = [node]
        while pending:
            for name in re.findall(r"\.\.\.\s*([A-Za-z_]\w*)", print_ast(pending.pop())):  # type: ignore[arg-type]
                if name in fragments and name not in found:
                    found[name] = fragments[name]
                    pending.append(fragments[name])
        return list(found.values())

    return [(d.name.value if d.name else "?", DocumentNode(definitions=(d, *used(d))))
            for d in definitions if isinstance(d, OperationDefinitionNode)]


def _guide_operations() -> list[tuple[str, DocumentNode]]:
    documents = [parse(text) for text in GUIDE_DOCUMENTS]
    return [(" ".join(op.name.value.split()) if op.name else "guide", document) for document in documents
            for op in document.definitions if isinstance(op, OperationDefinitionNode)]


CONSOLE_OPERATIONS = _console_operations()
GUIDE_OPERATIONS = _guide_operations()


def _defaults(operation: OperationDefinitionNode) -> dict[str, object]:
    """The variables' defaults, as they are coerced when the client sends no value."""
    return {v.variable.name.value: value_from_ast(v.default_value, type_from_ast(SCHEMA, v.type))  # type: ignore[arg-type]
            for v in operation.variable_definitions or () if v.default_value is not None}


def cost(query: str | DocumentNode, variables: dict[str, object] | None = None, operation_name: str | None = None) -> int | None:
    document = parse(query) if isinstance(query, str) else query
    assert validate(SCHEMA, document, (*specified_rules, *LIMITS.rules)) == []
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode)
                     and (operation_name is None or d.name is not None and d.name.value == operation_name))
    return cost_of(SCHEMA, document, operation, {**_defaults(operation), **(variables or {})})


def test_the_console_and_the_guide_are_found():
    names = {name for name, _ in CONSOLE_OPERATIONS}
    assert len(CONSOLE_OPERATIONS) >= 250 and {"QueueCases", "ReferralsTab", "AlertsCentre", "CaseLive"} <= names
    assert len(GUIDE_OPERATIONS) >= 20


@pytest.mark.parametrize(("name", "document"), CONSOLE_OPERATIONS + GUIDE_OPERATIONS,
                         ids=[n for n, _ in CONSOLE_OPERATIONS + GUIDE_OPERATIONS])
def test_every_operation_the_console_and_the_guide_send_is_within_the_limit(name, document):
    weighed = cost(document, operation_name=None if name in ("?", "guide") else name)
    assert weighed is not None and 0 < weighed <= MAX_COST, (name, weighed)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    assert too_costly(SCHEMA, document, operation.name.value if operation.name else None, _defaults(operation)) is None


def test_fields_cost_one_and_lists_multiply_what_each_item_selects():
    assert cost("{ viewer { kind allProjects } }") == 3
    assert cost("{ __typename viewer { __typename kind } }") == 2
    # A connection's `first` sizes its edges; totalCount and pageInfo are asked once.
    assert cost("{ cases(first: 100) { totalCount edges { node { id number } } } }") == 1 + 1 + 1 + 100 * (1 + 2)
    assert cost("{ cases { edges { node { id } } } }") == 1 + 1 + 20 * (1 + 1)  # the argument's default, 20
    assert cost("{ alerts(first: 7) { id title } }") == 1 + 7 * 2
    assert cost("{ alerts(first: 0) { id title } }") == 1
    # A list without `first`: DEFAULT_LIST_SIZE items.
    assert cost("{ case(id: \"x\") { id escalations { level } } }") == 1 + 1 + 1 + DEFAULT_LIST_SIZE * 1
    # Resolvers that aggregate declare more.
    assert cost("{ caseCounts { open overdue } }") == 20 + 2
    assert cost("{ __schema { types { name fields { name } } } }") == INTROSPECTION_COST


def test_first_from_variables_and_their_defaults():
    query = "query Q($n: Int = 50) { cases(first: $n) { edges { node { id } } } }"
    assert cost(query) == 1 + 1 + 50 * 2
    assert cost(query, {"n": 3}) == 1 + 1 + 3 * 2
    assert cost(query, {"n": None}) == 1 + 1 + 20 * 2  # null: the resolver's default
    assert cost("query Q($n: Int) { alerts(first: $n) { id } }") == 1 + 50 * 1


def test_a_first_beyond_any_field_s_range_weighs_as_the_largest_range():
    """The field refuses such a page with its own range error; the cost must not refuse it first."""
    page = "query($n: Int) { cases(first: $n) { edges { node { id } } } }"
    assert cost(page, {"n": 30_000}) == cost(page, {"n": FIRST_CEILING}) < MAX_COST
    assert cost(page, {"n": 30_000}) > cost(page, {"n": FIRST_CEILING - 1})


def test_fragments_and_inline_fragments_weigh_as_the_fields_they_bring():
    plain = cost("{ cases(first: 10) { edges { node { id number kind } } } }")
    assert cost("{ cases(first: 10) { edges { node { ...Row } } } } fragment Row on Case { id number kind }") == plain
    assert cost("{ cases(first: 10) { edges { node { id ... on Case { number kind } } } } }") == plain
    # One field per response name: graphql-core merges the repeats, so they cost once.
    assert cost("{ cases(first: 10) { edges { node { id number kind ...Row } } } } fragment Row on Case { id number }") == plain
    # A fragment spread twice at one level runs once.
    assert cost("{ cases(first: 10) { edges { node { ...Row ...Row } } } } fragment Row on Case { id number kind }") == plain


def test_skip_and_include_as_the_variables_decide():
    query = "query Q($big: Boolean!) { viewer { kind } cases(first: 100) @include(if: $big) { edges { node { id } } } }"
    assert cost(query, {"big": False}) == 2
    assert cost(query, {"big": True}) == 2 + 1 + 1 + 100 * 2
    assert cost("{ viewer { kind allProjects @skip(if: true) } }") == 2


def test_an_interface_costs_what_its_costliest_object_type_selects():
    query = """query Q($id: ID!) { node(id: $id) { id
        ... on Case { number escalations { level } }
        ... on Project { code name } } }"""
    assert cost(query, {"id": "x"}) == 1 + 1 + 1 + 1 + DEFAULT_LIST_SIZE * 1  # the case's branch, not both


def _nested(levels: int) -> str:
    """Buildings, their units, each unit's occupants: first 100 at the connections."""
    unit = "id number floor label vacant" + (" occupants { id role }" if levels >= 3 else "")
    units = f"units(first: 100) {{ totalCount edges {{ node {{ {unit} }} }} }}" if levels >= 2 else ""
    return f'{{ buildings(projectId: "p", first: 100) {{ edges {{ node {{ id name {units} }} }} }} }}'


def test_nested_connections_of_a_hundred_are_refused_with_their_cost():
    assert cost(_nested(1)) <= MAX_COST  # one level of a hundred is an ordinary page
    for levels in (2, 3):
        document = parse(_nested(levels))
        refused = too_costly(SCHEMA, document, None, {})
        assert refused is not None, levels
        weighed = cost(document)
        assert weighed is not None and weighed > MAX_COST
        assert refused.extensions == {"code": "QUERY_TOO_COMPLEX", "cost": weighed, "maxCost": MAX_COST}
        assert refused.message == (f"查询的开销为 {weighed}，超过上限 {MAX_COST}：请减少 first 或所选字段，或拆分为多个请求。"
                                   f"The query costs {weighed}, over the limit of {MAX_COST}; ask for fewer items (first) "
                                   "or fields, or split it into several requests.")
    assert cost(_nested(2)) == 1 + 1 + 100 * (1 + 1 + 1 + 1 + 1 + 1 + 100 * (1 + 5))
    assert cost(_nested(3)) == 1 + 1 + 100 * (1 + 1 + 1 + 1 + 1 + 1 + 100 * (1 + 5 + 1 + DEFAULT_LIST_SIZE * 2))


ROW = """fragment Row on Case { id number kind severity channel state stateLabel description publicArea receivedAt
    commitmentDue overdue category { code name } project { id name } assignee { id displayName } }"""


def aliases(n: int, first: str = "100") -> str:
    """n aliases of the case list, each a page of `first` rows: the console's queue rows."""
    variables = "($n: Int)" if first == "$n" else ""
    return f"query Many{variables} {{ " + " ".join(f"a{i}: cases(first: {first}) {{ edges {{ node {{ ...Row }} }} }}"
                                               for i in range(n)) + " } " + ROW


def test_many_aliases_of_a_list_are_refused():
    one = cost(aliases(1))
    assert one is not None and one <= MAX_COST
    refused = too_costly(SCHEMA, parse(aliases(30)), None, {})
    assert refused is not None and refused.extensions is not None
    assert refused.extensions == {"code": "QUERY_TOO_COMPLEX", "cost": cost(aliases(30)), "maxCost": MAX_COST}
    assert cost(aliases(30)) == 30 * one
    # The same document with a small page is admitted: the cost follows `first` from the variables.
    assert too_costly(SCHEMA, parse(aliases(30, "$n")), None, {"n": 5}) is None
    assert too_costly(SCHEMA, parse(aliases(30, "$n")), None, {"n": 100}) is not None


def test_a_fragment_spread_in_many_places_is_weighed_once_not_once_per_path():
    """Each level spreads the next fragment under two fields: 2^10 paths, weighed in a few dozen steps."""
    levels = 10
    fragments = " ".join(f"fragment F{i} on Case {{ id repeats {{ ...F{i + 1} }} repeatOf {{ ...F{i + 1} }} }}"
                         for i in range(levels)) + f" fragment F{levels} on Case {{ id }}"
    document = parse(f'{{ case(id: "x") {{ ...F0 }} }} {fragments}')
    assert validate(SCHEMA, document, (*specified_rules, *LIMITS.rules)) == []  # within the depth limit
    weighing = Costing(SCHEMA, {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}, {})
    weighed = weighing.operation(document.definitions[0])  # type: ignore[arg-type]
    below = 1  # F10: id
    for _ in range(levels):  # id, repeats (a list of DEFAULT_LIST_SIZE), repeatOf (one case)
        below = 1 + (1 + DEFAULT_LIST_SIZE * below) + (1 + below)
    assert weighed == 1 + below
    assert weighing.visits <= 6 * levels + 2  # 2^10 paths; each level weighed under its two fields, not once per path
    refused = too_costly(SCHEMA, document, None, {})
    assert refused is not None and refused.extensions is not None and refused.extensions["cost"] == weighed


def test_unknown_operations_and_bad_variables_are_left_to_execution():
    document = parse("query A { viewer { kind } } query B { viewer { kind } }")
    assert too_costly(SCHEMA, document, "C", {}) is None
    assert too_costly(SCHEMA, parse("query Q($n: Int) { alerts(first: $n) { id } }"), None, {"n": "many"}) is None


def test_weights_are_kept_per_document_and_sizing_variables():
    kept = Weights(2)
    document = parse("query Q($n: Int, $big: Boolean!, $text: String) { viewer { kind } "
                     "alerts(first: $n) @include(if: $big) { id title } }")
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    assert kept.cost(SCHEMA, document, operation, {"n": 100, "big": True, "text": "a"}) == 2 + 1 + 200
    assert kept.cost(SCHEMA, document, operation, {"n": 100, "big": True, "text": "b"}) == 2 + 1 + 200 and kept.hits == 1
    assert kept.cost(SCHEMA, document, operation, {"n": 100.0, "big": True}) == 2 + 1 + 200  # coerces alike, weighed again
    assert kept.cost(SCHEMA, document, operation, {"n": 5, "big": True}) == 2 + 1 + 10
    assert kept.cost(SCHEMA, document, operation, {"n": 100, "big": False}) == 2
    # A value that does not coerce costs nothing (execution refuses it) and is not taken for another.
    assert kept.cost(SCHEMA, document, operation, {"n": True, "big": True}) == 0
    assert kept.cost(SCHEMA, document, operation, {"n": 1, "big": True}) == 2 + 1 + 2
    assert kept.cost(SCHEMA, document, operation, {"n": [100], "big": True}) == 0  # not kept: not a plain value
    hits = kept.hits
    assert kept.cost(SCHEMA, document, operation, {"n": [100], "big": True}) == 0 and kept.hits == hits
    # The same text parsed again is another document; the least recently used is let go.
    for text in ("{ viewer { kind } }", "{ viewer { allProjects } }"):
        again = parse(text)
        assert kept.cost(SCHEMA, again, again.definitions[0], {}) == 2  # type: ignore[arg-type]
    assert len(kept.entries) == 2 and all(entry[0] is not document for entry in kept.entries.values())


def test_a_document_with_too_many_selections_to_weigh_is_refused_without_a_cost(monkeypatch):
    monkeypatch.setattr("api.graphql.cost.MAX_VISITS", 3)
    monkeypatch.setattr("api.graphql.admission.MAX_VISITS", 3)
    refused = too_costly(SCHEMA, parse("{ viewer { kind allProjects permissions } }"), None, {})
    assert refused is not None and refused.extensions == {"code": "QUERY_TOO_COMPLEX", "maxCost": MAX_COST}
    assert refused.message == ("查询的选择过多，无法计算开销（超过 3 处），请拆分为多个请求。"
                               "The query has too many selections to weigh (more than 3); split it into several requests.")
    assert too_costly(SCHEMA, parse("{ viewer { kind } }"), None, {}) is None
