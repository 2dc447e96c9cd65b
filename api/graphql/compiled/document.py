"""Which documents the compiled path takes, decided once per query text: a single query
operation whose root fields are `cases`, `myQueue` (without `orderBy`: newest first only),
`orgOverview` or `__typename`, without fragments or directives, that parses and validates exactly as it would in strawberry and holds
no NUL in a literal (strawberry refuses it before execution, PostgreSQL cannot store it)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from graphql import DocumentNode, FieldNode, GraphQLError, OperationDefinitionNode, OperationType, parse, specified_rules, validate

from api.graphql.admission import oversized
from api.graphql.compiled.overview import overview_sql
from api.graphql.compiled.case_json import connection_sql
from api.graphql.compiled.selection import Unsupported, merged_fields
from api.graphql.extensions import _literal_with_nul
from api.graphql.schema import LIMITS, MAX_TOKENS, schema
from tenants.roles import Permission

LIST_FIELDS = {"cases": Permission.CASE_READ, "myQueue": Permission.CASE_WORK}
ROOT_PERMISSIONS = {**LIST_FIELDS, "orgOverview": Permission.PROJECT_READ}


@dataclass(frozen=True)
class RootField:
    key: str
    name: str
    node: FieldNode
    sql: str | None  # the statement of a list field
    kind: str = "list"  # list, overview or typename


@dataclass(frozen=True)
class Plan:
    operation: OperationDefinitionNode
    fields: tuple[RootField, ...]
    document: DocumentNode  # weighed under each request's variables (api/graphql/cost.py)

    @property
    def name(self) -> str | None:
        return self.operation.name.value if self.operation.name else None


@lru_cache(maxsize=512)
def plan_for(query: str) -> Plan | None:
    try:
        document = parse(query, max_tokens=MAX_TOKENS)
    except GraphQLError:
        return None
    if len(document.definitions) != 1:
        return None
    operation = document.definitions[0]
    if not isinstance(operation, OperationDefinitionNode) or operation.operation != OperationType.QUERY or operation.directives:
        return None
    if any(not isinstance(s, FieldNode) or s.name.value not in (*ROOT_PERMISSIONS, "__typename")
           for s in operation.selection_set.selections):
        return None  # before validating: most documents are not for this path
    # Bounded first: this validation runs on the event loop (strawberry's runs in a thread).
    if oversized(document) or validate(schema._schema, document, (*specified_rules, *LIMITS.rules)) \
            or _literal_with_nul(document):
        return None  # strawberry words the errors
    try:
        roots = []
        for key, group in merged_fields(operation.selection_set.selections):
            name = group[0].name.value
            if name == "__typename":
                roots.append(RootField(key, name, group[0], None, "typename"))
            elif name == "orgOverview" and len(group) == 1:
                roots.append(RootField(key, name, group[0], overview_sql(list(group[0].selection_set.selections)), "overview"))
            elif name in LIST_FIELDS and any(a.name.value == "orderBy" for a in group[0].arguments or ()):
                return None  # another order (or one from a variable): strawberry sorts it
            elif name in LIST_FIELDS and len(group) == 1:
                roots.append(RootField(key, name, group[0], connection_sql(list(group[0].selection_set.selections))))
            else:
                return None
    except Unsupported:
        return None
    if all(r.kind == "typename" for r in roots):
        return None
    return Plan(operation, tuple(roots), document)
