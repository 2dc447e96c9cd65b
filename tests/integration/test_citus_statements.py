"""docs/scaling.md lists the Citus statement of every table of the migrated schema: the list there
must be exactly what bench/citus_statements.py generates from the newest migration, so a new table
(or a new foreign key that changes the order) fails here until the doc's list is regenerated with
`python bench/citus_statements.py`."""

from __future__ import annotations

import re
from pathlib import Path

import asyncpg

from bench.citus_statements import statements

DOC = Path(__file__).resolve().parents[2] / "docs" / "scaling.md"
_TABLES = ("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
           "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition")


def documented() -> list[str]:
    block = re.search(r"<!-- citus statements: begin -->\n```sql\n(.*?)```\n<!-- citus statements: end -->", DOC.read_text(), re.S)
    assert block, "docs/scaling.md has lost its marked block of Citus statements"
    return [line for line in block.group(1).splitlines() if line.strip()]


def named_table(line: str) -> str:
    match = re.match(r"SELECT create_(?:distributed|reference)_table\('(\w+)'|-- (\w+): stays on the coordinator", line)
    assert match, f"not a statement of the list: {line}"
    return match.group(1) or match.group(2)


async def test_the_doc_lists_every_table_of_the_migrated_schema(db_urls) -> None:  # type: ignore[no-untyped-def]
    conn = await asyncpg.connect(db_urls.owner.set(drivername="postgresql").render_as_string(hide_password=False))
    try:
        generated = await statements(conn)
        tables = {r[0] for r in await conn.fetch(_TABLES)}
    finally:
        await conn.close()
    listed = [named_table(line) for line in documented()]
    assert len(listed) == len(set(listed)), "a table is listed twice"
    assert set(listed) == tables, f"missing: {sorted(tables - set(listed))}; gone: {sorted(set(listed) - tables)}"
    assert documented() == generated, "regenerate the list in docs/scaling.md with `python bench/citus_statements.py`"


async def test_every_table_with_a_company_is_distributed_by_it(db_urls) -> None:  # type: ignore[no-untyped-def]
    conn = await asyncpg.connect(db_urls.owner.set(drivername="postgresql").render_as_string(hide_password=False))
    try:
        generated = await statements(conn)
        with_org = {r[0] for r in await conn.fetch(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a "
            "ON a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped WHERE n.nspname = 'public' AND c.relkind = 'r'")}
    finally:
        await conn.close()
    distributed = {m.group(1) for line in generated if (m := re.match(r"SELECT create_distributed_table\('(\w+)', 'org_id'", line))}
    assert distributed == with_org - {"organizations"}
    # Referenced tables come first: Citus refuses a foreign key to a table not yet distributed.
    position = {named_table(line): i for i, line in enumerate(generated)}
    assert position["organizations"] < position["projects"] < position["cases"] < position["sla_timers"]
