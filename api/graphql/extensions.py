"""Error codes for every error (internal ones masked) and schema extensions of our own:
introspection only for authenticated callers, text the database can store, request limits,
operation tracing."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from functools import lru_cache

from graphql import ExecutionResult, GraphQLError, GraphQLSyntaxError
from graphql import ValidationRule
from graphql.language import BREAK, DocumentNode, FieldNode, OperationDefinitionNode, StringValueNode, Visitor, visit
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter, SchemaExtension
from strawberry.extensions.tracing import OpenTelemetryExtension

from domain.errors import DomainError, ErrorCode

log = logging.getLogger("firstcall.graphql")
_TOO_COMPLEX = re.compile(r"exceeds maximum operation depth|aliases found\. Allowed|more than \d+ tokens")


def _coded(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    message = error.message
    if isinstance(original, DomainError):
        code, message = original.code, original.message
    elif _TOO_COMPLEX.search(message):
        code = ErrorCode.QUERY_TOO_COMPLEX
    elif isinstance(error, GraphQLSyntaxError):
        code = ErrorCode.GRAPHQL_PARSE_FAILED
    elif error.path is None and (original is None or isinstance(original, GraphQLError)):
        # Validation and variable coercion: about the client's document, safe to show.
        code = ErrorCode.GRAPHQL_VALIDATION_FAILED
    else:
        # Our own bug, also when a validation rule crashes: logged, never shown.
        log.error("internal error at %s", error.path, exc_info=original)
        code, message = ErrorCode.INTERNAL, "Unexpected error. It has been logged."
    extensions = dict(error.extensions or {})
    extensions["code"] = code.value
    if isinstance(original, DomainError) and original.field:
        extensions["field"] = original.field
    if isinstance(original, DomainError) and original.retry_after is not None:
        extensions["retryAfter"] = original.retry_after
    return GraphQLError(message, error.nodes, error.source, error.positions, error.path, None, extensions)


def with_codes(errors: list[GraphQLError]) -> list[GraphQLError]:
    """Applied to the final result by the HTTP view, the one place every error passes — also those
    raised inside an extension's parse hook, which bypass the operation hooks."""
    return [e if (e.extensions or {}).get("code") else _coded(e) for e in errors]


class _FindIntrospection(Visitor):
    found = False

    def enter_field(self, node: FieldNode, *_args: object) -> object:
        if node.name.value in ("__schema", "__type"):
            self.found = True
            return BREAK
        return None


@lru_cache(maxsize=1024)
def _asks_for_introspection(document: DocumentNode) -> bool:
    finder = _FindIntrospection()
    visit(document, finder)
    return finder.found


class IntrospectionForMembers(SchemaExtension):
    """The schema is shown to callers who authenticated; anonymous callers get an error."""

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.context.principal is None and ctx.graphql_document is not None and _asks_for_introspection(ctx.graphql_document):
            # A result set before execution makes strawberry skip executing the document.
            error = DomainError(ErrorCode.UNAUTHENTICATED, "Log in to read the schema.")
            ctx.result = ExecutionResult(data=None, errors=[GraphQLError(error.message, original_error=error)])
        yield


def _has_nul(text: str) -> bool:
    return "\x00" in text


@lru_cache(maxsize=1024)
def _literal_with_nul(document: DocumentNode) -> bool:
    found = []

    class Finder(Visitor):
        def enter_string_value(self, node: StringValueNode, *_args: object) -> object:
            if _has_nul(node.value):
                found.append(node)
                return BREAK
            return None

    visit(document, Finder())
    return bool(found)


def _variables_with_nul(variables: object) -> bool:
    stack = [variables]  # a loop, not recursion: variables may nest as deep as JSON allows
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if _has_nul(value):
                return True
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


class StorableText(SchemaExtension):
    """PostgreSQL text cannot hold U+0000, so no input may carry it — checked once here for
    every variable and literal instead of in each resolver. (Unpaired surrogates never get
    this far: the JSON decoder refuses them.)"""

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.result is None and ((ctx.graphql_document is not None and _literal_with_nul(ctx.graphql_document))
                                   or _variables_with_nul(ctx.variables)):
            ctx.result = ExecutionResult(data=None, errors=[GraphQLError(
                "Text input may not contain the NUL character (U+0000); remove it and send again.",
                extensions={"code": ErrorCode.GRAPHQL_VALIDATION_FAILED.value})])
        yield


class NamedOperation(SchemaExtension):
    """A document with several operations needs `operationName` (GraphQL spec, GetOperation);
    strawberry would quietly run the first one."""

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.result is None and ctx.graphql_document is not None and ctx._provided_operation_name is None:
            operations = [d for d in ctx.graphql_document.definitions if isinstance(d, OperationDefinitionNode)]
            if len(operations) > 1:
                ctx.result = ExecutionResult(data=None, errors=[GraphQLError(
                    "The document holds several operations; say which to run with operationName.",
                    extensions={"code": ErrorCode.BAD_REQUEST.value})])
        yield


class OperationTracing(OpenTelemetryExtension):
    """Spans for the operation, parsing and validation — none per field, which would cost more
    than most fields do."""

    resolve = SchemaExtension.resolve


class RequestLimits(SchemaExtension):
    """Depth and alias limits as validation rules built once. strawberry's limiters build a new
    rule class per instance, and instances are per request, so every request would miss the
    validation cache (measured: 1.1 ms instead of a few µs)."""

    rules: tuple = ()

    @classmethod
    def of(cls, *, max_depth: int, max_aliases: int) -> type[RequestLimits]:
        rules = (*(_tolerant(rule) for rule in QueryDepthLimiter(max_depth=max_depth).validation_rules),
                 *MaxAliasesLimiter(max_alias_count=max_aliases).validation_rules)
        return type("RequestLimits", (cls,), {"rules": rules})

    def on_operation(self) -> Iterator[None]:
        self.execution_context.validation_rules = self.execution_context.validation_rules + self.rules
        yield


def _tolerant(rule: type[ValidationRule]) -> type[ValidationRule]:
    """strawberry's depth rule raises KeyError on a spread of an unknown fragment; graphql-core's
    KnownFragmentNamesRule reports that one properly, so the depth rule steps aside."""

    class Tolerant(rule):  # type: ignore[misc, valid-type]
        def __init__(self, context) -> None:
            try:
                super().__init__(context)
            except KeyError:
                ValidationRule.__init__(self, context)

    return Tolerant
