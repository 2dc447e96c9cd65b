"""The archive's clean-up (docs/archive.md §10 slice 11, and what was found after it was built):

- `residents.unit_id` and `residents.role` go. Since 0027 a person's flats and roles are their
  stays (`occupancies`); nothing has read the two columns since, and their foreign key to units
  only held old rows to a flat they may have left.
- The purge's finder `orgs_with_expired_uploads` judges expiry by the database's clock. It took
  the time from its caller, so the application role could ask with a far-future time and learn
  which companies hold any upload at all. The argument stays (callers keep working) and is ignored.
- Residents erased before the erasure closed their stays still lived in their flats: their open
  stays close on the day (Beijing) they were erased, as an erasure now does.

Revision ID: 0036_archive_cleanup
Revises: 0035_notices
"""

from migrations.rls import run_script

revision = "0036_archive_cleanup"
down_revision = "0035_notices"
branch_labels = None
depends_on = None

# CREATE OR REPLACE keeps the function's grants (EXECUTE to the application role only).
_FINDER = """
CREATE OR REPLACE FUNCTION orgs_with_expired_uploads(p_now timestamptz) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT DISTINCT org_id FROM archive_uploads WHERE expires_at <= {now} $$;
"""

# A stay may have been entered ahead (moved in on a day after the erasure): it closes on its own
# first day, as the table's CHECK (out >= in) demands.
_CLOSE_ERASED_STAYS = """
UPDATE occupancies o SET moved_out_on = greatest(o.moved_in_on, (r.erased_at AT TIME ZONE 'Asia/Shanghai')::date),
  updated_at = now()
FROM residents r
WHERE r.org_id = o.org_id AND r.id = o.resident_id AND r.erased_at IS NOT NULL AND o.moved_out_on IS NULL;
"""

_DROP_COLUMNS = """
ALTER TABLE residents DROP COLUMN unit_id, DROP COLUMN role;
"""

# Back to 0035's shape: the columns return NULLable, filled as 0027 left them — each resident the
# flat and role of their newest stay, the open ones first; one with no stay keeps NULLs.
_RESTORE_COLUMNS = """
ALTER TABLE residents ADD COLUMN unit_id uuid,
  ADD COLUMN role text CHECK (role IN ('owner', 'tenant', 'family')),
  ADD FOREIGN KEY (org_id, project_id, unit_id) REFERENCES units (org_id, project_id, id);
CREATE INDEX residents_unit ON residents (org_id, project_id, unit_id);
UPDATE residents r SET unit_id = o.unit_id, role = o.role
FROM (SELECT DISTINCT ON (org_id, resident_id) org_id, resident_id, unit_id, role FROM occupancies
      ORDER BY org_id, resident_id, (moved_out_on IS NULL) DESC, moved_in_on DESC NULLS LAST, created_at DESC) o
WHERE r.org_id = o.org_id AND r.id = o.resident_id;
"""


def upgrade() -> None:
    run_script(_FINDER.replace("{now}", "now()") + _CLOSE_ERASED_STAYS + _DROP_COLUMNS)


def downgrade() -> None:
    # The stays closed for erased residents stay closed: they were wrong open.
    run_script(_FINDER.replace("{now}", "p_now") + _RESTORE_COLUMNS)
