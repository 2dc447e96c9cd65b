"""What an operation costs to answer, computed before it runs, beside the depth, alias and token
limits: the depth limit lets `buildings(first: 100) { … units(first: 100) { … } }` through, yet
that asks for 10,000 rows.

Every field costs 1 (`__typename` nothing), or what `FIELD_COSTS` declares for the resolvers that
aggregate or search. A list multiplies the cost of what is selected under each of its items by
its size: its `first` argument as the operation gives it (a literal, or a variable's value), else
the argument's default; a connection's `first` sizes its `edges` (and an inbox's `items`); a list
without `first` is as long as `LIST_SIZES` declares, else `DEFAULT_LIST_SIZE`. The fields counted
are those that would run: fragments and inline fragments where their type applies (on an
interface, the costliest of the object types it may turn out to be), `@skip` / `@include` as the
variables decide, one field per response name (graphql-core merges the rest into it). The
introspection fields `__schema` and `__type` cost `INTROSPECTION_COST` whatever they select:
their answers come from the schema in memory, bounded by the depth limit."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    DocumentNode, FieldNode, FragmentDefinitionNode, FragmentSpreadNode, GraphQLField, GraphQLObjectType, GraphQLSchema, InlineFragmentNode,
    IntValueNode, NamedTypeNode, NonNullTypeNode, NullValueNode, OperationDefinitionNode, OperationType, SelectionNode, SelectionSetNode,
    VariableNode, get_named_type, get_nullable_type, is_abstract_type, is_leaf_type, is_list_type, is_object_type,
)
from graphql.execution.values import get_variable_values

MAX_COST = 50_000
DEFAULT_LIST_SIZE = 10  # a list without `first`: an item's few rows (a case's escalations, a referral's history)
INTROSPECTION_COST = 100
# No field serves more rows than this: a larger `first` is weighed as this, so that the field
# refuses it with its own range error ("first must be between 1 and 200") rather than the
# operation being refused as too costly for a page it would never be given.
FIRST_CEILING = 1000
COST_CAP = 10**12  # a higher cost is reported as this (JSON numbers stay exact)
MAX_VISITS = 20_000  # distinct fields weighed: a document of 200 fields needs a few hundred

# Resolvers that aggregate a month of cases or search rather than read rows by key.
FIELD_COSTS: dict[str, int] = {
    "Query.orgOverview": 50, "Query.kpiBreakdown": 50, "Query.kpiSeries": 100, "Query.scorecards": 50,
    "Query.caseCounts": 20, "Query.morningBriefing": 50, "Query.peopleFigures": 50, "Query.departmentFigures": 50,
    "Query.callFigures": 50, "Query.projectCosts": 50, "Query.archiveAccuracy": 50, "Query.surveyResults": 50,
    "Query.decisionFeedbackSummary": 20, "Query.govOrderRates": 20, "Query.sweepProgress": 20, "Query.arrears": 20,
    "Query.callerLookup": 20, "Query.searchKnowledge": 20, "Query.dispatchProposals": 20,
}
# Lists without `first` whose length is known to be small or large.
LIST_SIZES: dict[str, int] = {
    "Query.calendarDays": 366, "CalendarDaysPayload.days": 366, "CallFigureReport.days": 31, "Query.kpiSeries": 12,
    "Query.scorecards": 50, "OrgOverview.projects": 50, "Query.receptionRota": 31, "Query.dutyRoster": 31,
}
_PAGED_LISTS = frozenset({"edges", "items"})  # a connection's (an inbox's) list, sized by the connection's `first`


class TooManyToWeigh(Exception):
    """More distinct selections than `MAX_VISITS`: only fragments spread in many combinations get here."""


class Costing:
    """The cost of one operation of a validated document, under the variables' coerced values.
    A selection set weighed once is remembered, so a fragment spread in many places (or under a
    list of lists) is walked once, not once per place."""

    def __init__(self, schema: GraphQLSchema, fragments: Mapping[str, FragmentDefinitionNode],
                 variables: Mapping[str, Any]) -> None:
        self.schema, self.fragments, self.variables = schema, fragments, variables
        self.weighed: dict[tuple[object, ...], int] = {}
        self.visits = 0

    def operation(self, operation: OperationDefinitionNode) -> int:
        root = {OperationType.QUERY: self.schema.query_type, OperationType.MUTATION: self.schema.mutation_type,
                OperationType.SUBSCRIPTION: self.schema.subscription_type}[operation.operation]
        return 0 if root is None else self._selections(root, [operation.selection_set], None)

    def _selections(self, parent: Any, sets: list[SelectionSetNode], page: int | None) -> int:
        if not is_abstract_type(parent):
            return self._weighed(parent, sets, page)
        return max((self._weighed(t, sets, page) for t in self._runtime_types(parent, sets)), default=0)

    def _weighed(self, runtime: GraphQLObjectType, sets: list[SelectionSetNode], page: int | None) -> int:
        key = (runtime.name, *map(id, sets), page)
        cost = self.weighed.get(key)
        if cost is None:
            cost = self.weighed[key] = self._fields(runtime, sets, page)
        return cost

    def _runtime_types(self, parent: Any, sets: list[SelectionSetNode]) -> list[GraphQLObjectType]:
        """One object type for each distinct set of fragment conditions that apply: the others cost the same."""
        conditions = set(self._conditions(sets))
        by_applying: dict[frozenset[str], GraphQLObjectType] = {}
        for t in self.schema.get_possible_types(parent):
            applying = frozenset(c for c in conditions if self._applies(c, t))
            by_applying.setdefault(applying, t)
        return list(by_applying.values())

    def _conditions(self, sets: list[SelectionSetNode]) -> Iterator[str]:
        seen: set[str] = set()
        pending = list(sets)
        while pending:
            for s in pending.pop().selections:
                if isinstance(s, InlineFragmentNode):
                    if s.type_condition is not None:
                        yield s.type_condition.name.value
                    pending.append(s.selection_set)
                elif isinstance(s, FragmentSpreadNode) and s.name.value in self.fragments and s.name.value not in seen:
                    seen.add(s.name.value)
                    yield self.fragments[s.name.value].type_condition.name.value
                    pending.append(self.fragments[s.name.value].selection_set)

    def _applies(self, condition: str | None, runtime: GraphQLObjectType) -> bool:
        if condition is None or condition == runtime.name:
            return True
        target = self.schema.get_type(condition)
        return target is not None and is_abstract_type(target) and self.schema.is_sub_type(target, runtime)

    def _collect(self, runtime: GraphQLObjectType, sets: list[SelectionSetNode]) -> dict[str, list[FieldNode]]:
        """The fields that run on `runtime`, grouped by response name (as graphql-core collects them)."""
        grouped: dict[str, list[FieldNode]] = {}
        visited: set[str] = set()

        def visit(selection_set: SelectionSetNode) -> None:
            for s in selection_set.selections:
                if not self._included(s):
                    continue
                if isinstance(s, FieldNode):
                    grouped.setdefault((s.alias or s.name).value, []).append(s)
                elif isinstance(s, InlineFragmentNode):
                    if self._applies(s.type_condition.name.value if s.type_condition else None, runtime):
                        visit(s.selection_set)
                elif isinstance(s, FragmentSpreadNode) and s.name.value not in visited:
                    visited.add(s.name.value)
                    fragment = self.fragments.get(s.name.value)
                    if fragment is not None and self._applies(fragment.type_condition.name.value, runtime):
                        visit(fragment.selection_set)

        for selection_set in sets:
            visit(selection_set)
        return grouped

    def _included(self, node: SelectionNode) -> bool:
        for directive in node.directives or ():
            if directive.name.value in ("skip", "include"):
                argument = next((a for a in directive.arguments or () if a.name.value == "if"), None)
                value = self._value(argument.value) if argument is not None else None
                if (directive.name.value == "skip") == (value is True):
                    return False
        return True

    def _value(self, node: Any) -> Any:
        if isinstance(node, VariableNode):
            return self.variables.get(node.name.value)
        if isinstance(node, NullValueNode):
            return None
        if isinstance(node, IntValueNode):
            return int(node.value)
        return getattr(node, "value", None)

    def _fields(self, runtime: GraphQLObjectType, sets: list[SelectionSetNode], page: int | None) -> int:
        total = 0
        for nodes in self._collect(runtime, sets).values():
            field_name = nodes[0].name.value
            if field_name == "__typename":
                continue
            self.visits += 1
            if self.visits > MAX_VISITS:
                raise TooManyToWeigh
            if field_name in ("__schema", "__type"):
                total += INTROSPECTION_COST
                continue
            definition = runtime.fields.get(field_name)
            if definition is None:
                continue  # not in the schema: validation said so already
            total += self._field(runtime.name, field_name, definition, nodes, page if field_name in _PAGED_LISTS else None)
        return min(total, COST_CAP)

    def _field(self, parent: str, name: str, definition: GraphQLField, nodes: list[FieldNode], page: int | None) -> int:
        key = f"{parent}.{name}"
        cost = FIELD_COSTS.get(key, 1)
        named = get_named_type(definition.type)
        if is_leaf_type(named):
            return cost
        first = self._first(definition, nodes[0])
        sets = [n.selection_set for n in nodes if n.selection_set is not None]
        if is_list_type(get_nullable_type(definition.type)):
            size = first if first is not None else page if page is not None else LIST_SIZES.get(key, DEFAULT_LIST_SIZE)
            if size <= 0:
                return cost
            return cost + size * self._selections(named, sets, None)
        return cost + self._selections(named, sets, first if is_object_type(named) else None)

    def _first(self, definition: GraphQLField, node: FieldNode) -> int | None:
        """The `first` the field runs with, None if it has none."""
        argument = definition.args.get("first")
        if argument is None:
            return None
        given = next((a for a in node.arguments or () if a.name.value == "first"), None)
        value = None if given is None else self._value(given.value)
        if value is None:  # omitted, null, or a variable without a value: the resolver takes the default
            value = argument.default_value
        if isinstance(value, bool) or not isinstance(value, int | float):
            return DEFAULT_LIST_SIZE
        return min(max(int(value), 0), FIRST_CEILING)


def cost_of(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode,
            variables: Mapping[str, Any]) -> int | None:
    """The operation's cost (at most `COST_CAP`), None if it has too many selections to weigh."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    try:
        return Costing(schema, fragments, variables).operation(operation)
    except TooManyToWeigh:
        return None


def _sizing(operation: OperationDefinitionNode, variables: Mapping[str, Any]) -> tuple[object, ...] | None:
    """The values of the variables that can change the cost — `first` is an Int, `@skip` and
    `@include` take a Boolean — or None if one of them is not a plain value."""
    values: list[object] = []
    for definition in operation.variable_definitions or ():
        named = definition.type.type if isinstance(definition.type, NonNullTypeNode) else definition.type
        if isinstance(named, NamedTypeNode) and named.name.value in ("Int", "Boolean"):
            value = variables.get(definition.variable.name.value, _ABSENT)
            if not (value is None or value is _ABSENT or isinstance(value, int | float | str)):
                return None
            values.append((type(value), value))  # True and 1 coerce differently
    return tuple(values)


_ABSENT = object()


class Weights:
    """The costs of the operations of documents seen before (the parser cache hands back the same
    document object for the same text), by operation and the variables that size them; the most
    recently used documents kept. A document is held by its entry, so its id is not reused meanwhile."""

    def __init__(self, size: int, per_document: int = 64) -> None:
        self.size, self.per_document = size, per_document
        self.entries: OrderedDict[int, tuple[DocumentNode, dict[tuple[object, ...], int | None]]] = OrderedDict()
        self.hits = 0

    def cost(self, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode,
             variables: Mapping[str, Any]) -> int | None:
        """As `cost_of` under the variables as the client sent them; 0 if they do not coerce
        (execution refuses them, nothing runs)."""
        sizing = _sizing(operation, variables)
        entry = self.entries.get(id(document))
        if entry is not None and entry[0] is document:
            self.entries.move_to_end(id(document))
        else:
            entry = self.entries[id(document)] = (document, {})
            if len(self.entries) > self.size:
                self.entries.popitem(last=False)
        key = (operation.name.value if operation.name else None, sizing)
        if sizing is not None and key in entry[1]:
            self.hits += 1
            return entry[1][key]
        coerced = get_variable_values(schema, operation.variable_definitions or (), dict(variables))
        cost = 0 if isinstance(coerced, list) else cost_of(schema, document, operation, coerced.coerced)
        if sizing is not None:
            if len(entry[1]) >= self.per_document:
                entry[1].clear()
            entry[1][key] = cost
        return cost


weights = Weights(512)
