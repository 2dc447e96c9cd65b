"""The schema stays distributable by company (DESIGN §2, §9): on Citus every tenant table is
distributed by `org_id`, which needs every primary key and unique constraint or index to contain
`org_id` and every foreign key between tenant tables to join on it. A table without `org_id` is a
reference table (copied to every node) and may not point at a tenant table."""

from __future__ import annotations

from sqlalchemy import text

# Every constraint and unique index of the public schema, with its columns in key order.
_KEYS = text("""
SELECT c.relname AS table, k.conname AS name, k.contype::text AS kind,
       array(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(n, i)
             JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.i)::text[] AS columns,
       f.relname AS ref_table,
       array(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY u(n, i)
             JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.i)::text[] AS ref_columns
FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class f ON f.oid = k.confrelid
WHERE n.nspname = 'public' AND k.contype IN ('p', 'u', 'f') AND c.relkind IN ('r', 'p')
UNION ALL
SELECT c.relname, i.relname, 'i',
       array(SELECT a.attname FROM unnest(x.indkey::int2[]) WITH ORDINALITY u(n, j)
             JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = u.n ORDER BY u.j)::text[],
       NULL, NULL
FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND x.indisunique AND NOT x.indisprimary
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
ORDER BY 1, 2
""")
_TENANT = text("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
               "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped "
               "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')")
# The companies themselves are copied to every node (their slug is unique across all of them).
REFERENCE = {"organizations"}


async def _problems(conn) -> tuple[int, int, list[str]]:
    tenant = {r[0] for r in await conn.execute(_TENANT)} - REFERENCE
    keys = (await conn.execute(_KEYS)).all()
    problems = []
    for k in keys:
        if k.table not in tenant:
            if k.kind == "f" and k.ref_table in tenant:
                problems.append(f"reference table {k.table} points at tenant table {k.ref_table} ({k.name})")
            continue
        if k.kind in ("p", "u", "i") and "org_id" not in k.columns:
            problems.append(f"{k.table}.{k.name} {k.columns} lacks org_id")
        if k.kind == "f" and k.ref_table in tenant:
            # Citus co-locates the two rows only when the distribution columns are joined.
            if dict(zip(k.columns, k.ref_columns, strict=True)).get("org_id") != "org_id":
                problems.append(f"{k.table}.{k.name} {k.columns} → {k.ref_table}{k.ref_columns} does not join on org_id")
    return len(tenant), len(keys), problems


async def test_every_key_of_a_tenant_table_contains_org_id_and_every_join_is_on_it(owner_engine):
    async with owner_engine.connect() as conn:
        tables, keys, problems = await _problems(conn)
    assert tables >= 40 and keys >= 3 * tables
    assert problems == [], "\n".join(problems)


async def test_the_check_finds_a_key_without_org_id(owner_engine):
    async with owner_engine.connect() as conn:
        await conn.execute(text("CREATE TABLE distributable_probe (org_id uuid NOT NULL, id uuid PRIMARY KEY, "
                                "case_id uuid, FOREIGN KEY (org_id, case_id) REFERENCES cases (org_id, id))"))
        await conn.execute(text("CREATE UNIQUE INDEX distributable_probe_case ON distributable_probe (case_id)"))
        try:
            _, _, problems = await _problems(conn)
        finally:
            await conn.rollback()
    assert [p for p in problems if "distributable_probe" in p] == [
        "distributable_probe.distributable_probe_case ['case_id'] lacks org_id",
        "distributable_probe.distributable_probe_pkey ['id'] lacks org_id",
    ]
