"""When a patrol point joined its route (docs/centre-day.md §2.1, "Adding a point"): a point added
after a run was started is not part of that run — the run keeps the count it started with and the
point takes no visit in it — while runs not started count it at once. Points that existed before
this column have none: they belong to every run.

Revision ID: 0056_patrol_point_added
Revises: 0055_overview_cache
"""

from migrations.rls import run_script

revision = "0056_patrol_point_added"
down_revision = "0055_overview_cache"
branch_labels = None
depends_on = None

# Two statements: a default given with ADD COLUMN would stamp the existing points with today.
_UP = """
ALTER TABLE patrol_points ADD COLUMN added_at timestamptz;
ALTER TABLE patrol_points ALTER COLUMN added_at SET DEFAULT now();
"""

_DOWN = "ALTER TABLE patrol_points DROP COLUMN added_at;"


def upgrade() -> None:
    run_script(_UP)


def downgrade() -> None:
    run_script(_DOWN)
