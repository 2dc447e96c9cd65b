"""Running a compiled plan for one request. Returns the response body, or None to hand the
request to strawberry — which then produces the same answer, errors included, the slow way."""

from __future__ import annotations

import hashlib
from contextlib import nullcontext
from functools import partial
from typing import Any

import orjson
from graphql import get_argument_values
from graphql.execution.values import get_variable_values
from opentelemetry import trace
from strawberry.utils.str_converters import to_camel_case

from api.context import Context
from api.graphql.compiled.document import ROOT_PERMISSIONS, Plan
from api.graphql.cost import MAX_COST, weights
from api.graphql.overview_cache import caller_of, overview_answer
from api.graphql.extensions import _variables_with_nul
from api.graphql.queries import WORKING_STATES
from api.graphql.schema import schema
from api.graphql.types.case_list import CaseFilter, page_terms
from api.graphql.types.node import to_global_id
from domain.kpi.month import month_period, previous_month
from domain.errors import DomainError
from tenants.telemetry import tracing_enabled

tracer = trace.get_tracer("firstcall.graphql")
_FILTER_FIELDS = {to_camel_case(f.python_name): f.python_name for f in CaseFilter.__strawberry_definition__.fields}


def _filter(value: dict | None) -> CaseFilter | None:
    return None if value is None else CaseFilter(**{_FILTER_FIELDS[k]: v for k, v in value.items()})


async def run_plan(plan: Plan, variables: dict | None, operation_name: str | None, context: Context) -> bytes | None:
    principal = context.principal
    if principal is None or (operation_name is not None and operation_name != plan.name):
        return None
    if any(r.name in ROOT_PERMISSIONS and not principal.can_anywhere(ROOT_PERMISSIONS[r.name]) for r in plan.fields):
        return None
    if variables and _variables_with_nul(variables):
        return None
    coerced = get_variable_values(schema._schema, plan.operation.variable_definitions or (), variables or {})
    if isinstance(coerced, list):  # coercion errors: strawberry words them
        return None
    cost = weights.cost(schema._schema, plan.document, plan.operation, variables or {})
    if cost is None or cost > MAX_COST:  # strawberry refuses it, with the cost
        return None
    # The span only where spans go: even the no-op tracer's context switch cost ~5% of a request.
    span = (tracer.start_as_current_span("GraphQL compiled query", attributes={"graphql.operation.name": plan.name or ""})
            if tracing_enabled() else nullcontext())
    with span:
        parts: list[bytes] = []
        # A tag for HTTP revalidation only when every answer of the document is a kept overview.
        tags: list[bytes] | None = [] if all(r.kind in ("overview", "typename") for r in plan.fields) else None
        for root in plan.fields:
            key = orjson.dumps(root.key)
            if root.kind == "typename":
                parts.append(key + b':"Query"')
                continue
            args: dict[str, Any] = get_argument_values(schema._schema.query_type.fields[root.name], root.node, coerced)
            if root.kind == "overview":
                try:
                    month, today = month_period(args.get("month"))
                except DomainError:
                    return None
                make = partial(_encoded, context, root.sql, {"org": context.db.org_id, "month": month,
                                                             "previous": previous_month(month), "today": today})
                kept = await overview_answer(context, ("compiled", root.sql), month, today, make, len)
                parts.append(key + b":" + kept.value)
                if tags is not None:
                    tags.append(key + kept.tag(caller_of(context)).encode())
                continue
            try:
                if root.name == "myQueue":
                    case_filter = CaseFilter(assignee_id=to_global_id("User", principal.id), states=list(WORKING_STATES))
                else:
                    case_filter = _filter(args.get("filter"))
                terms = page_terms(case_filter, args.get("first"), args.get("after"), principal.projects, org_id=principal.org_id)
            except DomainError:
                return None
            limit = int(terms.limit)  # page_size's bounded integer, printed into the statement
            sql = root.sql.format(where=terms.where, count_where=terms.count_where, limit=limit, limit_plus=limit + 1)
            text = await context.db.json_text(sql, terms.params)
            parts.append(key + b":" + text.encode())
    if tags:
        context.etag = '"' + hashlib.blake2b(b"\0".join(tags), digest_size=16).hexdigest() + '"'
    return b'{"data":{' + b",".join(parts) + b"}}"


async def _encoded(context: Context, sql: str, params: dict[str, Any]) -> bytes:
    """The overview's JSON kept as the bytes sent: a kept answer is copied, never encoded again."""
    return (await context.db.json_text(sql, params)).encode()
