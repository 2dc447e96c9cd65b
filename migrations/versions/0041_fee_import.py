"""Opening balances (期初欠费) ride on the archive's upload and import tables
(docs/resident-services.md §6.8): each upload and each import says what kind of workbook it is —
`archive` or `fee_opening` — so the worker runs the right import and a request is checked
against the right permission. Existing rows are archive workbooks. One queued or running import
per project still holds across kinds: a fee import reads the flats an archive import may add.

Revision ID: 0041_fee_import
Revises: 0040_fee_reminders
"""

from migrations.rls import run_script

revision = "0041_fee_import"
down_revision = "0040_fee_reminders"
branch_labels = None
depends_on = None

_KINDS = "CHECK (kind IN ('archive', 'fee_opening'))"


def upgrade() -> None:
    run_script(f"""
ALTER TABLE archive_uploads ADD COLUMN kind text NOT NULL DEFAULT 'archive' {_KINDS};
ALTER TABLE archive_imports ADD COLUMN kind text NOT NULL DEFAULT 'archive' {_KINDS};
""")


def downgrade() -> None:
    run_script("""
ALTER TABLE archive_imports DROP COLUMN kind;
ALTER TABLE archive_uploads DROP COLUMN kind;
""")
