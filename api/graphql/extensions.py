"""Error codes for every error (internal ones masked) and schema extensions of our own:
introspection only for authenticated callers, request limits, operation tracing."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from functools import lru_cache

from graphql import ExecutionResult, GraphQLError, GraphQLSyntaxError
from graphql.language import DocumentNode, FieldNode, visit, Visitor, BREAK
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
    elif error.path is None:
        # Validation and variable coercion: about the client's document, safe to show.
        code = ErrorCode.GRAPHQL_VALIDATION_FAILED
    else:
        log.error("internal error at %s", error.path, exc_info=original)
        code, message = ErrorCode.INTERNAL, "Unexpected error. It has been logged."
    extensions = dict(error.extensions or {})
    extensions["code"] = code.value
    if isinstance(original, DomainError) and original.field:
        extensions["field"] = original.field
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
        rules = (*QueryDepthLimiter(max_depth=max_depth).validation_rules,
                 *MaxAliasesLimiter(max_alias_count=max_aliases).validation_rules)
        return type("RequestLimits", (cls,), {"rules": rules})

    def on_operation(self) -> Iterator[None]:
        self.execution_context.validation_rules = self.execution_context.validation_rules + self.rules
        yield
