"""The queue's read model: the orders a case list can take (each with its keyset), and the counts
behind the queue's tabs — one grouped statement, scoped by row-level security like any read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.cases.states import State
from domain.errors import invalid
from domain.reads import Reader, Row
from domain.sla.overdue import overdue


class CaseOrder(StrEnum):
    TIME_LEFT = "time_left"
    RECEIVED_NEWEST = "received_newest"
    NUMBER = "number"


# The worst open target of a case: the soonest deadline among targets neither met nor stopped; a
# broken promise counts from when it was broken (it is already breached, whatever the new due says).
# "Open" is the aggregate's FILTER, not the WHERE: with `met_at IS NULL` in the WHERE the partial
# index case_targets_open (org_id, project_id, due_at) qualifies too, and on statistics that still
# say case_targets is empty (loaded, analysed, then filled) the planner probes it by org_id alone —
# every open target of the company read once per case listed (893 ms for 4,000 cases and 600 open
# targets, against 12 ms through the primary key). The WHERE below matches only the primary key's
# leading (org_id, case_id), a probe of a case's few targets, whatever the statistics say.
WORST_DUE = ("(SELECT min(least(t.due_at, t.broken_at)) FILTER (WHERE t.met_at IS NULL AND t.closed_by IS NULL) "
             "FROM case_targets t WHERE t.org_id = c.org_id AND t.case_id = c.id)")

# Cursor tags: a received-newest cursor keeps the form it always had (the compiled path prints it).
_TAGS = {CaseOrder.TIME_LEFT: "t", CaseOrder.NUMBER: "n"}


@dataclass(frozen=True)
class OrderTerms:
    """How one order selects, sorts and continues: `key` is an extra output column (or None),
    `order_by` the ORDER BY over the subquery `q`, `after` the keyset clause over `q`."""

    key: str | None
    order_by: str
    after: str | None
    params: dict[str, Any]


def order_terms(order: CaseOrder, cursor: str | None, alias: str = "q") -> OrderTerms:
    """`cursor` is the decoded text of `after` (or None); a cursor of another order is refused.
    `alias` names the rows sorted (the compiled path sorts `c` itself, received-newest only)."""
    parsed = _parse(order, cursor) if cursor is not None else None
    q, after = alias, None
    if order is CaseOrder.TIME_LEFT:
        if parsed is not None:
            after = (f"({q}.order_key IS NULL AND {q}.id > CAST(:after_id AS uuid))" if parsed[0] is None else
                     f"({q}.order_key > :after_key OR ({q}.order_key = :after_key AND {q}.id > CAST(:after_id AS uuid)) "
                     f"OR {q}.order_key IS NULL)")
        return OrderTerms(WORST_DUE, f"{q}.order_key ASC NULLS LAST, {q}.id", after, _params(parsed))
    if order is CaseOrder.NUMBER:
        after = f"({q}.number, {q}.id) > (:after_key, CAST(:after_id AS uuid))" if parsed else None
        return OrderTerms(None, f"{q}.number, {q}.id", after, _params(parsed))
    after = f"({q}.received_at, {q}.id) < (:after_key, CAST(:after_id AS uuid))" if parsed else None
    return OrderTerms(None, f"{q}.received_at DESC, {q}.id DESC", after, _params(parsed))


def _params(parsed: tuple[object, str] | None) -> dict[str, Any]:
    return {} if parsed is None else {"after_key": parsed[0], "after_id": parsed[1]}


def _parse(order: CaseOrder, raw: str) -> tuple[object, str]:
    tag = raw[:2] if raw[1:2] == "|" else ""
    given = next((o for o, t in _TAGS.items() if t + "|" == tag), CaseOrder.RECEIVED_NEWEST)
    try:
        key, case_id = raw[len(tag):].rsplit("|", 1)
        case_id = str(UUID(case_id))
        if given is CaseOrder.NUMBER:
            value: object = key
        elif given is CaseOrder.TIME_LEFT and key == "-":
            value = None
        else:
            value = datetime.fromisoformat(key)
            if value.tzinfo is None:
                raise ValueError(key)
    except ValueError:
        raise invalid("游标 after 无效，须为本接口给出的游标。after is not a cursor this API gave out.", "after") from None
    if given is not order:
        raise invalid(f"游标 after 属于另一种排序（{given.name}）：请使用相同的 orderBy，或不带 after 取第一页。"
                      f"after is a cursor of the order {given.name}, not {order.name}: ask with the same orderBy, "
                      "or without after for the first page.", "after")
    return value, case_id


def _iso(at: datetime) -> str:
    # Canonical UTC form with microseconds, so SQL can print the same cursor (compiled path).
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def cursor_text(order: CaseOrder, row: Row[Any]) -> str:
    """The text a row's cursor encodes under `order` (before base64)."""
    if order is CaseOrder.TIME_LEFT:
        return f"t|{'-' if row.order_key is None else _iso(row.order_key)}|{row.id}"
    if order is CaseOrder.NUMBER:
        return f"n|{row.number}|{row.id}"
    return f"{_iso(row.received_at)}|{row.id}"


# 工作台 tabs → states (DESIGN.md §3): what each tab of the queue counts and lists.
TAB_STATES: dict[str, tuple[State, ...]] = {
    "to_commit": (State.RECEIVED,),                       # 待承诺
    "to_dispatch": (State.COMMITTED, State.REOPENED),     # 待派单
    "to_accept": (State.DISPATCHED,),                     # 待接单
    "in_progress": (State.ACCEPTED, State.IN_PROGRESS),   # 处理中
    "to_confirm": (State.RESOLVED,),                      # 待确认
    "to_visit": (State.CONFIRMED,),                       # 待回访
    "decline_requested": (State.DECLINE_REQUESTED,),      # 婉拒待批
    "referred": (State.REFERRED,),                        # 转办中
}
OPEN_STATES = (State.RECEIVED, State.COMMITTED, State.DISPATCHED, State.ACCEPTED, State.IN_PROGRESS, State.REOPENED,
               State.DECLINE_REQUESTED, State.REFERRED)
WORKING_STATES = (State.DISPATCHED, State.ACCEPTED, State.IN_PROGRESS, State.REOPENED)
_LIVE = sorted({s.value for states in TAB_STATES.values() for s in states} | {s.value for s in OPEN_STATES})


def _in(states: Iterable[State]) -> str:
    return ", ".join(f"'{s.value}'" for s in states)


# Only cases still in some tab are read (closed, declined and cancelled ones never are); the
# overdue test runs once per such case.
COUNTS = text(
    "SELECT " + ", ".join(f"count(*) FILTER (WHERE c.state IN ({_in(states)})) AS {name}" for name, states in TAB_STATES.items())
    + f", count(*) FILTER (WHERE {overdue('c')}) AS overdue"
    + f", count(*) FILTER (WHERE c.state IN ({_in(OPEN_STATES)})) AS open"
    + f", count(*) FILTER (WHERE c.assignee_id = CAST(:me AS uuid) AND c.state IN ({_in(WORKING_STATES)})) AS mine"
    + " FROM cases c WHERE c.org_id = :o AND c.state = ANY(:live) AND (CAST(:project AS uuid) IS NULL OR c.project_id = :project)"
    + " AND (CAST(:scope AS uuid[]) IS NULL OR c.project_id = ANY(:scope))"
)


async def case_counts(db: Reader, project_id: UUID | None, me: UUID | None, scope: frozenset[UUID] | None) -> Row[Any] | None:
    """One row: each tab's count. `scope` narrows to the caller's projects (RLS is the wall; this
    lets the planner use the project index)."""
    return await db.first(COUNTS, {"o": db.org_id, "project": project_id, "me": me, "live": _LIVE,
                                   "scope": None if scope is None else sorted(scope)})


def page_sql(columns: str, source: str, where: str, sort: OrderTerms) -> str:
    """One page of a case list under an order: the filtered rows as `q` (with the sort key when
    the order needs one), the keyset, the order, `:limit`."""
    key = f", {sort.key} AS order_key" if sort.key else ""
    after = f" WHERE {sort.after}" if sort.after else ""
    return f"SELECT * FROM (SELECT {columns}{key} FROM {source} {where}) q{after} ORDER BY {sort.order_by} LIMIT :limit"
