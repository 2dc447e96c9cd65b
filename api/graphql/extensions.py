"""Error codes for every error (internal ones masked) and schema extensions of our own:
introspection only for authenticated callers, text the database can store, request limits,
parsing within a bound on tokens, operation tracing."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from functools import lru_cache

from graphql import ExecutionResult, GraphQLError, GraphQLSyntaxError, parse
from graphql import ValidationRule
from graphql.language import (
    BREAK, DocumentNode, FieldNode, OperationDefinitionNode, StringValueNode, ValueNode, Visitor, visit,
)
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter, SchemaExtension
from strawberry.extensions.tracing import OpenTelemetryExtension

from api.errors import CODED, TransportCode
from api.graphql.by_document import by_document
from tenants.auth.errors import unauthenticated
from tenants.db_errors import unavailable

log = logging.getLogger("firstcall.graphql")


def _coded(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    message = error.message
    if original is not None and not isinstance(original, CODED) and (busy := unavailable(original)) is not None:
        original = busy  # the database down or full, not our bug: the client retries
    if isinstance(original, CODED):
        code, message = original.code, original.message
    elif isinstance(error, GraphQLSyntaxError):
        code = TransportCode.GRAPHQL_PARSE_FAILED
    elif error.path is None and (original is None or isinstance(original, GraphQLError)):
        # Validation and variable coercion: about the client's document, safe to show.
        code = TransportCode.GRAPHQL_VALIDATION_FAILED
    elif _argument_refused(original):
        # A nullable variable's null where an argument with a default is non-null: refused only as
        # the field runs, so it carries a path; still the client's document.
        code = TransportCode.GRAPHQL_VALIDATION_FAILED
    else:
        # Our own bug, also when a validation rule crashes: logged, never shown.
        log.error("internal error at %s", error.path, exc_info=original)
        code, message = TransportCode.INTERNAL, "系统出错，已记录，请稍后重试。Unexpected error. It has been logged."
    extensions = dict(error.extensions or {})
    extensions["code"] = code.value
    if isinstance(original, CODED) and original.field:
        extensions["field"] = original.field
    if isinstance(original, CODED) and original.retry_after is not None:
        extensions["retryAfter"] = original.retry_after
    return GraphQLError(message, error.nodes, error.source, error.positions, error.path, None, extensions)


def _argument_refused(original: BaseException | None) -> bool:
    """graphql-core's own refusal of an argument's value: an error of its own kind, about a value
    of the document (not a field, nor a value we returned), with nothing underneath."""
    return (isinstance(original, GraphQLError) and original.original_error is None and bool(original.nodes)
            and all(isinstance(n, ValueNode) for n in original.nodes or ()))


def _too_complex(error: GraphQLError) -> GraphQLError:
    """The error as a limit on the document reports it: coded where the limit is enforced."""
    return GraphQLError(error.message, error.nodes, error.source, error.positions, error.path, error.original_error,
                        {**(error.extensions or {}), "code": TransportCode.QUERY_TOO_COMPLEX.value})


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


@by_document(1024)
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
            error = unauthenticated("请先登录，再读取接口结构。Log in to read the schema.")
            ctx.result = ExecutionResult(data=None, errors=[GraphQLError(error.message, original_error=error)])
        yield


def _has_nul(text: str) -> bool:
    return "\x00" in text


@by_document(1024)
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
                "文本不能包含 NUL 字符（U+0000），请删除后重新发送。"
                "Text input may not contain the NUL character (U+0000); remove it and send again.",
                extensions={"code": TransportCode.GRAPHQL_VALIDATION_FAILED.value})])
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
                    "文档包含多个操作，请用 operationName 指明要执行哪一个。"
                    "The document holds several operations; say which to run with operationName.",
                    extensions={"code": TransportCode.BAD_REQUEST.value})])
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
        rules = (*(_tolerant(_limit(rule)) for rule in QueryDepthLimiter(max_depth=max_depth).validation_rules),
                 *(_limit(rule) for rule in MaxAliasesLimiter(max_alias_count=max_aliases).validation_rules))
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


def _limit(rule: type[ValidationRule]) -> type[ValidationRule]:
    """A limit's rule whose errors say QUERY_TOO_COMPLEX. strawberry's depth and alias rules report
    while they are built, so what they report then is coded on its way out."""

    class Limit(rule):  # type: ignore[misc, valid-type]
        def __init__(self, context) -> None:
            report: Callable[[GraphQLError], None] = context.on_error
            context.on_error = lambda error: report(_too_complex(error))
            try:
                super().__init__(context)
            finally:
                context.on_error = report

    return Limit


class BoundedParsing(SchemaExtension):
    """Parsing within a bound on tokens (graphql-core's parser stops past it), with the documents
    seen before kept — in place of strawberry's MaxTokensLimiter and ParserCache, which cannot
    tell the bound's refusal from a syntax error. The bound's refusal is coded here, where the
    bound is set: a syntax error is the bound's when allowing one more token moves it (that parse
    stops at the bound too, so it costs little); a mistake in the document fails alike."""

    max_tokens: int = 0

    @classmethod
    def of(cls, *, max_tokens: int) -> type[BoundedParsing]:
        return type("BoundedParsing", (cls,), {"max_tokens": max_tokens})

    def on_parse(self) -> Iterator[None]:
        ctx = self.execution_context
        ctx.graphql_document = parsed(ctx.query, self.max_tokens)
        yield


@lru_cache(maxsize=512)
def parsed(query: str, max_tokens: int) -> DocumentNode:
    try:
        return parse(query, max_tokens=max_tokens)
    except GraphQLSyntaxError as error:
        if not _stopped_by_bound(query, max_tokens, error):
            raise
        raise _too_complex(error) from None


def _stopped_by_bound(query: str, max_tokens: int, error: GraphQLSyntaxError) -> bool:
    try:
        parse(query, max_tokens=max_tokens + 1)
    except GraphQLSyntaxError as again:
        return (again.positions, again.message) != (error.positions, error.message)
    return True
