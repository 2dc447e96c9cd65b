"""The `cases` list: filters composed from a fixed set of clauses (only those asked for, so each
shape gets its own plan), in one of the orders of `domain.cases.queue` (newest first unless asked),
keyset-paginated on the order's key and the id."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.case import OVERDUE_DESCRIPTION, Case, CaseKindType, CaseStateType, SeverityType
from api.graphql.types.node import Connection, Edge, PageInfo, decode_cursor, encode_cursor, from_global_id, page_size
from domain.cases.queue import CaseOrder, OrderTerms, cursor_text, order_terms
from domain.cases.reads import case_count, case_page
from domain.sla.overdue import overdue
from domain.errors import invalid


CaseOrderType = strawberry.enum(CaseOrder, name="CaseOrder", description=(
    "排序 How a case list is sorted. TIME_LEFT: the worst open SLA target's deadline, soonest first (a broken "
    "promise counts from when it was broken), cases without an open target last; RECEIVED_NEWEST: newest first "
    "(the default); NUMBER: by case number. A cursor continues only the order that gave it."))


@strawberry.input(description="Every field narrows the list; leave it out to not filter on it.")
class CaseFilter:
    project_id: strawberry.ID | None = None
    states: list[CaseStateType] | None = None
    kind: CaseKindType | None = None
    severity: SeverityType | None = None
    category: str | None = strawberry.field(default=None, description="Category code.")
    assignee_id: strawberry.ID | None = None
    building_id: strawberry.ID | None = None
    overdue: bool | None = strawberry.field(default=None, description=OVERDUE_DESCRIPTION)
    text: str | None = strawberry.field(default=None, description="全文 Words in the number, description or place, e.g. 漏水.")
    received_from: datetime | None = strawberry.field(
        default=None, description="受理时间起 Received at or after this time, e.g. 2026-12-01T00:00:00+08:00 for a Beijing month.")
    received_before: datetime | None = strawberry.field(default=None, description="受理时间止 Received before this time.")


def _where(f: CaseFilter | None) -> tuple[list[str], dict]:
    clauses, params = [], {}
    if f is None:
        return clauses, params
    if f.project_id:
        clauses.append("c.project_id = :project_id")
        params["project_id"] = from_global_id(f.project_id, "Project", "filter.projectId")
    if f.states:
        if len(f.states) > 20:
            raise invalid("状态 states 最多列 20 个。states may list at most 20 states.", "filter.states")
        clauses.append("c.state = ANY(:states)")
        params["states"] = [s.value for s in f.states]
    for name, value in (("kind", f.kind), ("severity", f.severity)):
        if value is not None:
            clauses.append(f"c.{name} = :{name}")
            params[name] = value.value
    if f.category:
        clauses.append("cat.code = :category")
        params["category"] = f.category[:40]
    if f.assignee_id:
        clauses.append("c.assignee_id = :assignee_id")
        params["assignee_id"] = from_global_id(f.assignee_id, "User", "filter.assigneeId")
    if f.building_id:
        clauses.append("c.building_id = :building_id")
        params["building_id"] = from_global_id(f.building_id, "Building", "filter.buildingId")
    if f.text is not None:
        words = f.text.strip()
        if not 2 <= len(words) <= 100:
            raise invalid("搜索文字 text 须为 2 到 100 个字符。text must be 2 to 100 characters.", "filter.text")
        # A trigram index serves LIKE; the client's % and _ are searched for, not wildcards.
        clauses.append("c.search_text ILIKE :text")
        params["text"] = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    if f.overdue is not None:
        clauses.append(overdue("c") if f.overdue else f"NOT {overdue('c')}")
    if f.received_from is not None:
        clauses.append("c.received_at >= :received_from")
        params["received_from"] = f.received_from
    if f.received_before is not None:
        clauses.append("c.received_at < :received_before")
        params["received_before"] = f.received_before
    return clauses, params


@dataclass(frozen=True)
class PageTerms:
    """One request's page of cases: its WHERE (with the keyset of the received-newest order, for
    the compiled path), the WHERE for totalCount, the parameters, the page size and the order.
    Shared by the resolver and the compiled path."""

    where: str
    count_where: str
    params: dict
    limit: int
    sort: OrderTerms  # the order's ORDER BY and keyset over the filtered rows (the resolver's)


def page_terms(filter: CaseFilter | None, first: int | None, after: str | None, projects: frozenset[UUID] | None,
               order: CaseOrder = CaseOrder.RECEIVED_NEWEST, *, org_id: UUID) -> PageTerms:
    limit = page_size(first)
    clauses, params = _where(filter)
    # The company named, though the wall keeps to it already: a sharded database routes on it.
    clauses.insert(0, "c.org_id = :org")
    params["org"] = org_id
    if projects is not None:
        # Row-level security hides other projects already; saying so here lets the planner walk
        # the project index instead of the whole company (measured: 256x on 1M rows).
        clauses.append("c.project_id = ANY(:scope_projects)")
        params["scope_projects"] = sorted(projects)
    count_where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    raw = decode_cursor(after)
    sort = order_terms(order, raw)
    if order is CaseOrder.RECEIVED_NEWEST and sort.after:
        clauses = [*clauses, order_terms(order, raw, alias="c").after]
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    return PageTerms(where=where, count_where=count_where, params={**params, **sort.params}, limit=limit, sort=sort)


async def case_connection(info: Info, filter: CaseFilter | None, first: int | None, after: str | None,
                          order: CaseOrder = CaseOrder.RECEIVED_NEWEST) -> Connection[Case]:
    principal = info.context.require()
    terms = page_terms(filter, first, after, principal.projects, order, org_id=principal.org_id)
    rows = await case_page(info.context.db, terms.count_where, terms.sort, terms.params, terms.limit + 1)
    count_params = {k: v for k, v in terms.params.items() if not k.startswith("after_")}
    total = await case_count(info.context.db, terms.count_where, count_params)
    edges = [Edge(cursor=encode_cursor(cursor_text(order, r)), node=Case.from_row(r)) for r in rows[:terms.limit]]
    return Connection(edges=edges, page_info=PageInfo(has_next_page=len(rows) > terms.limit,
                                                      end_cursor=edges[-1].cursor if edges else None),
                      total_count=total)
