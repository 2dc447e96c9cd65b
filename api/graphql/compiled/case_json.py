"""The `cases` connection as one SQL statement that builds the response JSON in PostgreSQL.

Every expression here must print exactly what strawberry prints for the same field (the
equivalence tests compare the two byte for byte after parsing); a field without an expression
makes the whole document fall back to strawberry."""

from __future__ import annotations

from graphql import FieldNode

from api.graphql.compiled.selection import Unsupported, merged_fields
from domain.cases.reads import CASE_FROM
from domain.cases.states import STATE_LABELS
from domain.sla.overdue import overdue


def gid(type_name: str, column: str) -> str:
    """to_global_id in SQL: URL-safe base64 without padding (PostgreSQL wraps lines at 76)."""
    return f"rtrim(translate(encode(convert_to('{type_name}:' || {column}::text, 'UTF8'), 'base64'), E'+/\\n', '-_'), '=')"


def iso(column: str) -> str:
    """The DateTime scalar's output: UTC with microseconds, e.g. 2026-11-22T04:40:00.000000+00:00."""
    return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""


def json_build(pairs: list[str]) -> str:
    """json_build_object over any number of `'key', value` pairs. PostgreSQL takes at most 100
    arguments, so a wider object is built in chunks whose texts are spliced in order: json (not
    jsonb) keeps the keys as written, which the response's key order needs."""
    if len(pairs) <= 50:
        return f"json_build_object({', '.join(pairs)})"
    # Spliced without brace literals, which would clash with the str.format of connection_sql.
    texts = [f"json_build_object({', '.join(pairs[i:i + 50])})::text" for i in range(0, len(pairs), 50)]
    inner = [f"left({texts[0]}, -1)", *(f"substr(left({t}, -1), 2)" for t in texts[1:-1]), f"substr({texts[-1]}, 2)"]
    return "(" + " || ', ' || ".join(inner) + ")::json"


_LABEL = "CASE c.state " + " ".join(f"WHEN '{s.value}' THEN '{label}'" for s, label in STATE_LABELS.items()) + " END"
OVERDUE = overdue("c")

CASE_FIELDS = {
    "id": gid("Case", "c.id"),
    "number": "c.number",
    "kind": "upper(c.kind)",
    "severity": "upper(c.severity)",
    "channel": "upper(c.channel)",
    "state": "upper(c.state)",
    "stateLabel": _LABEL,
    "description": "c.description",
    "photos": "to_json(c.photos)",
    "publicArea": "c.public_area",
    "receivedAt": iso("c.received_at"),
    "registeredAt": iso("c.registered_at"),
    "commitmentDue": iso("c.commitment_due"),
    "overdue": OVERDUE,
    "waitingOnResident": "(c.paused_since IS NOT NULL)",
    "reopenCount": "c.reopen_count",
    "reworkLevel": "c.rework_level",
    "brokenPromises": "c.broken_promises",
    "satisfaction": "upper(c.satisfaction)",
    "visitScore": "c.visit_score",
    "autoConfirmed": "c.auto_confirmed",
    "resolvedAt": iso("c.resolved_at"),
    "confirmedAt": iso("c.confirmed_at"),
}
CATEGORY_FIELDS = {"code": "c.category_code", "name": "c.category_name"}
PROJECT_FIELDS = {"id": gid("Project", "p.id"), "code": "p.code", "name": "p.name", "city": "p.city", "address": "p.address",
                  "households": "p.households", "propertyType": "upper(p.property_type)"}
USER_FIELDS = {"id": gid("User", "u.id"), "username": "u.username", "displayName": "u.display_name", "active": "u.active"}
# Nested objects: their columns and, for those in other tables, the correlated lookup that
# brings them (one index probe per row; a join made the planner hash the whole projects table).
OBJECTS = {
    "category": (CATEGORY_FIELDS, "CaseCategory", None, None),
    "project": (PROJECT_FIELDS, "Project", "FROM projects p WHERE p.org_id = c.org_id AND p.id = c.project_id", None),
    "assignee": (USER_FIELDS, "User", "FROM users u WHERE u.org_id = c.org_id AND u.id = c.assignee_id", None),
}


def json_object(fields: list[FieldNode], columns: dict[str, str], typename: str) -> str:
    """A flat object of scalar fields as json_build_object; an unknown field is Unsupported."""
    pairs = []
    for key, group in merged_fields(fields):
        name = group[0].name.value
        if name == "__typename":
            expr = f"'{typename}'"
        elif name in columns and not group[0].selection_set:
            expr = columns[name]
        else:
            raise Unsupported(f"{typename}.{name}")
        pairs.append(f"'{key}', {expr}")
    return json_build(pairs)


def _node(fields: list[FieldNode]) -> str:
    pairs = []
    for key, group in merged_fields(fields):
        name = group[0].name.value
        if name == "__typename":
            expr = "'Case'"
        elif name in OBJECTS:
            columns, typename, lookup, _ = OBJECTS[name]
            inner = json_object([f for g in group for f in g.selection_set.selections], columns, typename)
            # Not visible (or none): null, as the resolver's loader answers.
            expr = f"(SELECT {inner} {lookup})" if lookup else inner
        elif name in CASE_FIELDS and not group[0].selection_set:
            expr = CASE_FIELDS[name]
        else:
            raise Unsupported(f"Case.{name}")
        pairs.append(f"'{key}', {expr}")
    return json_build(pairs)


CURSOR = ("rtrim(translate(encode(convert_to('c1:' || " + iso("c.received_at") + " || '|' || c.id::text, 'UTF8'), 'base64'), "
          "E'+/\\n', '-_'), '=')")


def connection_sql(fields: list[FieldNode]) -> str:
    """A statement template for one `cases` field: `{where}` and `{count_where}` are filled per
    request, and so are `{limit}` and `{limit_plus}`, as integer literals: with the page size a
    parameter, PostgreSQL's generic plan guesses a tenth of the table for the LIMIT and looks
    dearer than a custom one, so every execution was planned afresh (measured: planning was
    more than half the statement's time). It returns one row with the field's JSON text."""
    top, edge_pairs = [], None
    for key, group in merged_fields(fields):
        name = group[0].name.value
        sub = [f for g in group for f in (g.selection_set.selections if g.selection_set else ())]
        if name == "__typename":
            top.append(f"'{key}', 'CaseConnection'")
        elif name == "totalCount":
            top.append(f"'{key}', (SELECT count(*) FROM {CASE_FROM} {{count_where}})")
        elif name == "edges":
            if edge_pairs is not None:
                # One edge object per row: two keys with different selections would print the last.
                raise Unsupported("CaseConnection.edges under two keys")
            pairs = []
            for ekey, egroup in merged_fields(sub):
                ename = egroup[0].name.value
                esub = [f for g in egroup for f in (g.selection_set.selections if g.selection_set else ())]
                if ename == "__typename":
                    pairs.append(f"'{ekey}', 'CaseEdge'")
                elif ename == "cursor":
                    pairs.append(f"'{ekey}', {CURSOR}")
                elif ename == "node":
                    pairs.append(f"'{ekey}', {_node(esub)}")
                else:
                    raise Unsupported(f"CaseEdge.{ename}")
            edge_pairs = pairs
            top.append(f"'{key}', coalesce(page.edges, '[]'::json)")
        elif name == "pageInfo":
            pairs = []
            for pkey, pgroup in merged_fields(sub):
                pname = pgroup[0].name.value
                if pname == "__typename":
                    pairs.append(f"'{pkey}', 'PageInfo'")
                elif pname == "hasNextPage":
                    pairs.append(f"'{pkey}', page.rows > {{limit}}")
                elif pname == "endCursor":
                    pairs.append(f"'{pkey}', page.end_cursor")
                else:
                    raise Unsupported(f"PageInfo.{pname}")
            top.append(f"'{key}', {json_build(pairs)}")
        else:
            raise Unsupported(f"CaseConnection.{name}")
    edge = json_build(edge_pairs) if edge_pairs else "NULL::json"
    return (
        f"SELECT {json_build(top)}::text FROM ("
        f"SELECT json_agg(e.edge ORDER BY e.rn) FILTER (WHERE e.rn <= {{limit}}) AS edges, count(*) AS rows, "
        f"(array_agg(e.cursor ORDER BY e.rn DESC) FILTER (WHERE e.rn <= {{limit}}))[1] AS end_cursor "
        f"FROM (SELECT row_number() OVER (ORDER BY c.received_at DESC, c.id DESC) AS rn, {CURSOR} AS cursor, {edge} AS edge "
        f"FROM (SELECT c.*, cat.code AS category_code, cat.name AS category_name FROM {CASE_FROM} {{where}} "
        f"ORDER BY c.received_at DESC, c.id DESC LIMIT {{limit_plus}}) c) e) page"
    )
