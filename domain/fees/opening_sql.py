"""Checking and merging the staged 期初欠费 rows (docs/resident-services.md §6.8), on the archive
import's transaction: each row's flat and charge item are found in the project (a flat of
another project is not found), flagged when missing, and the rows become bills with `source =
'opening'` on the bills' natural key. A re-import updates an open bill nobody has paid or
adjusted; a bill with payments or adjustments, or a bill a run or one-off charge made, is refused
row by row — an import never rewrites what the desk has touched."""

from __future__ import annotations

from domain.archive.import_sql import FLAT_NAME, RESOLVE_FLAT, Counts, Staged

_T = "fee_opening"


async def opening(db: Staged) -> Counts:
    await db.run(RESOLVE_FLAT.format(t=_T, number="number"))
    await db.flag(_T, "UNKNOWN_UNIT", "number", f"SELECT s.row, {FLAT_NAME} AS value, {FLAT_NAME} AS name "
                  f"FROM import_{_T} s WHERE NOT s.bad AND s.unit_id IS NULL")
    # By code first (unique), else by name when one item of the project has it.
    await db.run(f"UPDATE import_{_T} s SET charge_item_id = i.id FROM charge_items i "
                 "WHERE i.org_id = :o AND i.project_id = :p AND i.code = upper(s.item)")
    await db.run(f"""
UPDATE import_{_T} s SET charge_item_id = m.id
FROM (SELECT name, min(id::text)::uuid AS id, count(*) AS n FROM charge_items
      WHERE org_id = :o AND project_id = :p GROUP BY name) m
WHERE s.charge_item_id IS NULL AND m.name = s.item AND m.n = 1""")
    await db.flag(_T, "AMBIGUOUS_ITEM", "item", f"SELECT s.row, s.item AS value, s.item AS name FROM import_{_T} s "
                  "WHERE NOT s.bad AND s.charge_item_id IS NULL AND (SELECT count(*) FROM charge_items i "
                  "WHERE i.org_id = :o AND i.project_id = :p AND i.name = s.item) > 1")
    await db.flag(_T, "UNKNOWN_ITEM", "item", f"SELECT s.row, s.item AS value, s.item AS name FROM import_{_T} s "
                  "WHERE NOT s.bad AND s.charge_item_id IS NULL")
    # Two rows naming one bill by different spellings (code and name) are one bill twice.
    await db.flag(_T, "DUPLICATE_ROW", "item", f"""
SELECT s.row, s.item AS value, f.first FROM import_{_T} s
JOIN (SELECT unit_id, charge_item_id, period, min(row) AS first FROM import_{_T} WHERE NOT bad
      GROUP BY 1, 2, 3 HAVING count(*) > 1) f USING (unit_id, charge_item_id, period)
WHERE NOT s.bad AND s.row <> f.first""")
    await db.run(f"""
UPDATE import_{_T} s SET bill_id = b.id FROM bills b
WHERE b.org_id = :o AND b.project_id = :p AND b.unit_id = s.unit_id AND b.charge_item_id = s.charge_item_id
  AND b.period = s.period AND b.space_id IS NULL AND NOT s.bad""")
    await db.flag(_T, "BILL_EXISTS", "period", f"SELECT s.row, to_char(s.period, 'YYYY-MM') AS value FROM import_{_T} s "
                  "JOIN bills b ON b.org_id = :o AND b.id = s.bill_id WHERE NOT s.bad AND b.source <> 'opening'")
    await db.flag(_T, "BILL_PAID", "amount", f"""
SELECT s.row, to_char(s.period, 'YYYY-MM') AS value FROM import_{_T} s JOIN bills b ON b.org_id = :o AND b.id = s.bill_id
WHERE NOT s.bad AND (b.state <> 'open' OR b.paid_fen > 0 OR b.waived_fen > 0
  OR EXISTS (SELECT 1 FROM payment_allocations a WHERE a.org_id = b.org_id AND a.bill_id = b.id)
  OR EXISTS (SELECT 1 FROM bill_adjustments j WHERE j.org_id = b.org_id AND j.bill_id = b.id))""")
    # The row's due date, else the item's due day in the period's month.
    return await db.counts(_T, f"""
INSERT INTO bills AS b (org_id, project_id, unit_id, charge_item_id, period, period_end, due_on, amount_fen, source,
                        basis_snapshot, note)
SELECT :o, :p, s.unit_id, s.charge_item_id, s.period, (s.period + interval '1 month - 1 day')::date,
       coalesce(s.due_on, s.period + (i.due_day - 1)), s.amount_fen, 'opening', '{{"opening": true}}'::jsonb, s.note
FROM import_{_T} s JOIN charge_items i ON i.org_id = :o AND i.id = s.charge_item_id
WHERE NOT s.bad
ON CONFLICT (org_id, project_id, unit_id, charge_item_id, period, space_key) DO UPDATE
  SET amount_fen = excluded.amount_fen, due_on = excluded.due_on, note = excluded.note, updated_at = now()
  WHERE b.source = 'opening' AND b.state = 'open' AND b.paid_fen = 0 AND b.waived_fen = 0
    AND (b.amount_fen, b.due_on, b.note) IS DISTINCT FROM (excluded.amount_fen, excluded.due_on, excluded.note)
RETURNING (xmax = 0) AS created""")
