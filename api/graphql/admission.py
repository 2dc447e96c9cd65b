"""What happens to a parsed document before graphql-core validates it.

Validation is the costly step a stranger can trigger: graphql-core's OverlapsFieldsCanBeMerged
rule compares every pair of fields that share a response name and every pair of fragments, so a
7.9 KB document of 490 × `viewer { kind }` cost ~1.5 s of CPU. Hence, in this order and each
cheap: an anonymous caller may only ask for the public fields (logging in) — anything else is
refused as unauthenticated before it is looked at further; every caller's document is bounded in
fields, repeats of one field and fragments; what remains is validated off the event loop, with
the results of documents seen before kept; and a valid operation is weighed (api/graphql/cost.py)
under its variables before it runs."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

from graphql import GraphQLError, GraphQLSchema, get_operation_ast
from graphql.language import (
    DocumentNode, FieldNode, FragmentDefinitionNode, FragmentSpreadNode, InlineFragmentNode, OperationDefinitionNode,
    OperationType, SelectionSetNode,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from api.context import Context
from api.graphql.by_document import ByDocument
from api.graphql.cost import MAX_COST, MAX_VISITS, weights
from api.errors import TransportCode
from tenants.auth.errors import AuthError, unauthenticated

# Under these bounds the costliest documents found validate in tens of milliseconds here (20
# fragments of repeated fields are the worst), against seconds without them.
MAX_FIELDS = 200
MAX_REPEATS = 5  # one response name in one selection set (inline fragments included)
MAX_FRAGMENTS = 20
PUBLIC_ROOT_FIELDS = frozenset({"login", "refreshToken", "logout", "__typename"})


def _coded(error: AuthError) -> GraphQLError:
    extensions: dict[str, object] = {"code": error.code.value}
    if error.retry_after is not None:  # RATE_LIMITED: when to try again
        extensions["retryAfter"] = error.retry_after
    return GraphQLError(error.message, extensions=extensions)


def _too_complex(message: str, **extensions: object) -> GraphQLError:
    return GraphQLError(message, extensions={"code": TransportCode.QUERY_TOO_COMPLEX.value, **extensions})


def _root_fields(document: DocumentNode) -> Iterator[str]:
    """The names of the root fields of every operation, through fragments at the root."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    seen: set[str] = set()
    pending = [d.selection_set for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode):
                yield selection.name.value
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                seen.add(selection.name.value)
                if selection.name.value in fragments:
                    pending.append(fragments[selection.name.value].selection_set)


def _selection_sets(document: DocumentNode) -> Iterator[list[FieldNode]]:
    """Each selection set's fields, those of its inline fragments merged in (as the overlap rule
    merges them); named fragments count where they are defined."""
    pending: list[SelectionSetNode] = [d.selection_set for d in document.definitions
                                       if isinstance(d, OperationDefinitionNode | FragmentDefinitionNode)]
    while pending:
        fields: list[FieldNode] = []
        inline = [pending.pop()]
        while inline:
            for selection in inline.pop().selections:
                if isinstance(selection, FieldNode):
                    fields.append(selection)
                    if selection.selection_set is not None:
                        pending.append(selection.selection_set)
                elif isinstance(selection, InlineFragmentNode):
                    inline.append(selection.selection_set)
        yield fields


def oversized(document: DocumentNode) -> GraphQLError | None:
    """A document too large to validate cheaply, with what to change; None if it is within bounds."""
    fragments = sum(isinstance(d, FragmentDefinitionNode) for d in document.definitions)
    if fragments > MAX_FRAGMENTS:
        return _too_complex(f"文档定义了 {fragments} 个片段，最多允许 {MAX_FRAGMENTS} 个。"
                            f"The document defines {fragments} fragments; at most {MAX_FRAGMENTS} are allowed.")
    total = 0
    for fields in _selection_sets(document):
        total += len(fields)
        if total > MAX_FIELDS:
            return _too_complex(f"文档选取的字段超过 {MAX_FIELDS} 个，请拆分为多个请求。"
                                f"The document selects more than {MAX_FIELDS} fields; split it into several requests.")
        counts: dict[str, int] = {}
        for field in fields:
            key = (field.alias or field.name).value
            counts[key] = counts.get(key, 0) + 1
            if counts[key] > MAX_REPEATS:
                return _too_complex(f"「{key}」在同一选择集中被选取超过 {MAX_REPEATS} 次，请只选取一次并列出所需的全部字段。"
                                    f"`{key}` is selected more than {MAX_REPEATS} times in one selection set; "
                                    "select it once with all the fields you need.")
    return None


def too_costly(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None,
               variables: object) -> GraphQLError | None:
    """The refusal of a valid operation that would cost more than `MAX_COST`, or None. An
    operation that cannot be picked, or variables that do not coerce, are execution's to refuse."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return None
    cost = weights.cost(schema, document, operation, variables if isinstance(variables, dict) else {})
    if cost is None:
        return _too_complex(f"查询的选择过多，无法计算开销（超过 {MAX_VISITS} 处），请拆分为多个请求。"
                            f"The query has too many selections to weigh (more than {MAX_VISITS}); split it into several requests.",
                            maxCost=MAX_COST)
    if cost <= MAX_COST:
        return None
    return _too_complex(f"查询的开销为 {cost}，超过上限 {MAX_COST}：请减少 first 或所选字段，或拆分为多个请求。"
                        f"The query costs {cost}, over the limit of {MAX_COST}; ask for fewer items (first) or fields, "
                        "or split it into several requests.", cost=cost, maxCost=MAX_COST)


def _subscription_over_http(document: DocumentNode, operation_name: str | None, context: object) -> bool:
    """An HTTP request's Context holds its request; a websocket's LiveContext holds none. Over
    HTTP a subscription would run its event stream as a plain resolver and fail."""
    if not isinstance(context, Context) or context.request is None:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)
                  and (operation_name is None or (d.name is not None and d.name.value == operation_name))]
    return len(operations) == 1 and operations[0].operation is OperationType.SUBSCRIPTION


def refusal(document: DocumentNode, context: object) -> GraphQLError | None:
    """Why the document is refused before validation, or None."""
    if getattr(context, "principal", None) is None:
        private = next((name for name in _root_fields(document) if name not in PUBLIC_ROOT_FIELDS), None)
        if private is not None:
            error = getattr(context, "auth_error", None) or unauthenticated(
                f"请先登录或提供 API 密钥，再使用「{private}」。Log in, or send an API key, to use `{private}`.")
            return _coded(error)
    return oversized(document)


results: ByDocument[list[GraphQLError]] = ByDocument(512)  # by the document and the rules


async def validated(schema: GraphQLSchema, document: DocumentNode, rules: tuple) -> list[GraphQLError]:
    errors = results.get(document, rules)
    if errors is None:
        # In a thread: the event loop keeps answering other requests (and /healthz) meanwhile.
        errors = await asyncio.to_thread(validate_document, schema, document, rules)
        results.put(document, errors, rules)
    return errors


class Admission(SchemaExtension):
    """Takes the place of strawberry's ValidationCache (see the module's docstring)."""

    async def on_validate(self) -> AsyncIterator[None]:
        ctx = self.execution_context
        assert ctx.graphql_document is not None
        refused = refusal(ctx.graphql_document, ctx.context)
        if refused is not None:
            ctx.pre_execution_errors = [refused]
        else:
            ctx.pre_execution_errors = await validated(ctx.schema._schema, ctx.graphql_document, tuple(ctx.validation_rules))
            if not ctx.pre_execution_errors and _subscription_over_http(ctx.graphql_document, ctx.operation_name, ctx.context):
                ctx.pre_execution_errors = [GraphQLError(
                    "订阅须通过 /graphql 的 WebSocket 连接使用，不支持 HTTP。"
                    "Subscriptions are served over the websocket at /graphql (protocol graphql-transport-ws), not over HTTP.",
                    extensions={"code": TransportCode.BAD_REQUEST.value})]
            if not ctx.pre_execution_errors and (costly := too_costly(ctx.schema._schema, ctx.graphql_document,
                                                                       ctx._provided_operation_name, ctx.variables)):
                ctx.pre_execution_errors = [costly]
        yield
