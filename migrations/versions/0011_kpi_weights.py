"""The company's weights for the monthly evaluation (DESIGN §6).

Revision ID: 0011
Revises: 0010
"""

from migrations.rls import ORG_ONLY, protect, run_script

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script("""
CREATE TABLE kpi_weights (
  org_id                  uuid PRIMARY KEY REFERENCES organizations (org_id),
  response                double precision NOT NULL,
  resolution              double precision NOT NULL,
  satisfaction            double precision NOT NULL,
  first_contact           double precision NOT NULL,
  on_time                 double precision NOT NULL,
  per_complaint_per_1000  double precision NOT NULL,
  per_broken_promise      double precision NOT NULL,
  updated_at              timestamptz NOT NULL DEFAULT now(),
  updated_by              text NOT NULL
);
""" + protect("kpi_weights", ORG_ONLY, "SELECT, INSERT, UPDATE"))


def downgrade() -> None:
    run_script("DROP TABLE IF EXISTS kpi_weights;")
