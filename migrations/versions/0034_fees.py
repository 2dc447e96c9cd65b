"""The fee core (费用收缴, docs/resident-services.md §4, §6.1–§6.5): charge items with their rates
and per-flat overrides, bill runs, bills keyed by their natural key (flat, item, month, space) so a
second run of the same months inserts nothing, staff payments with their allocations, waivers
and cancellations, and a receipt counter per project and Beijing day. Money is integer fen
(`bigint`); rates are 元 × 10,000. Every table is walled per project.

Revision ID: 0034_fees
Revises: 0033_resident_access
"""

from migrations.rls import project_rule, protect, run_script

revision = "0034_fees"
down_revision = "0033_resident_access"
branch_labels = None
depends_on = None

_TABLES = """
CREATE TABLE charge_items (
  org_id          uuid NOT NULL,
  project_id      uuid NOT NULL,
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  code            text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,19}$'),
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  kind            text NOT NULL CHECK (kind IN ('property', 'parking', 'utility', 'one_off', 'other')),
  basis           text NOT NULL CHECK (basis IN ('area', 'fixed', 'space', 'one_off')),
  unit_uses       text[] NOT NULL DEFAULT '{residential}',
  space_tenures   text[] NOT NULL DEFAULT '{owned,leased}',
  building_ids    uuid[],
  vacant_percent  smallint NOT NULL DEFAULT 100 CHECK (vacant_percent BETWEEN 0 AND 100),
  due_day         smallint NOT NULL DEFAULT 1 CHECK (due_day BETWEEN 1 AND 28),
  starts_on       date NOT NULL,
  ends_on         date,
  active          boolean NOT NULL DEFAULT true,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  UNIQUE (org_id, project_id, code),
  CHECK (ends_on IS NULL OR ends_on >= starts_on),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);

CREATE TABLE charge_rates (
  org_id          uuid NOT NULL,
  project_id      uuid NOT NULL,
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  charge_item_id  uuid NOT NULL,
  effective_from  date NOT NULL CHECK (extract(day FROM effective_from) = 1),
  rate_1e4        bigint NOT NULL CHECK (rate_1e4 > 0),
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, charge_item_id, effective_from),
  FOREIGN KEY (org_id, project_id, charge_item_id) REFERENCES charge_items (org_id, project_id, id)
);

CREATE TABLE charge_overrides (
  org_id          uuid NOT NULL,
  project_id      uuid NOT NULL,
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  charge_item_id  uuid NOT NULL,
  unit_id         uuid NOT NULL,
  excluded        boolean NOT NULL DEFAULT false,
  rate_1e4        bigint CHECK (rate_1e4 > 0),
  reason          text NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
  until           date,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, charge_item_id, unit_id),
  CHECK (excluded OR rate_1e4 IS NOT NULL),
  FOREIGN KEY (org_id, project_id, charge_item_id) REFERENCES charge_items (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id, unit_id) REFERENCES units (org_id, project_id, id)
);

CREATE TABLE bill_runs (
  org_id           uuid NOT NULL,
  project_id       uuid NOT NULL,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  periods          daterange NOT NULL,
  charge_item_ids  uuid[] NOT NULL,
  dry_run          boolean NOT NULL DEFAULT false,
  state            text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done', 'failed')),
  created          integer NOT NULL DEFAULT 0,
  skipped          jsonb NOT NULL DEFAULT '{}',
  total_fen        bigint NOT NULL DEFAULT 0,
  created_by       text NOT NULL,
  started_at       timestamptz NOT NULL DEFAULT now(),
  finished_at      timestamptz,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);
CREATE INDEX bill_runs_project ON bill_runs (org_id, project_id, started_at DESC);

CREATE TABLE bills (
  org_id          uuid NOT NULL,
  project_id      uuid NOT NULL,
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  unit_id         uuid NOT NULL,
  charge_item_id  uuid NOT NULL,
  space_id        uuid,
  space_key       uuid GENERATED ALWAYS AS (coalesce(space_id, '00000000-0000-0000-0000-000000000000'::uuid)) STORED,
  period          date NOT NULL CHECK (extract(day FROM period) = 1),
  period_end      date NOT NULL,
  due_on          date NOT NULL,
  amount_fen      bigint NOT NULL CHECK (amount_fen > 0),
  waived_fen      bigint NOT NULL DEFAULT 0 CHECK (waived_fen >= 0),
  paid_fen        bigint NOT NULL DEFAULT 0 CHECK (paid_fen >= 0),
  state           text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'paid', 'waived', 'cancelled')),
  source          text NOT NULL CHECK (source IN ('run', 'one_off', 'opening')),
  run_id          uuid,
  basis_snapshot  jsonb NOT NULL DEFAULT '{}',
  note            text NOT NULL DEFAULT '' CHECK (length(note) <= 200),
  closed_at       timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  CHECK (waived_fen + paid_fen <= amount_fen),
  CHECK (period_end >= period),
  FOREIGN KEY (org_id, project_id, unit_id) REFERENCES units (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id, charge_item_id) REFERENCES charge_items (org_id, project_id, id)
);
CREATE UNIQUE INDEX bills_natural ON bills (org_id, project_id, unit_id, charge_item_id, period, space_key);
CREATE INDEX bills_open ON bills (org_id, project_id, unit_id, due_on) WHERE state = 'open';
CREATE INDEX bills_period ON bills (org_id, project_id, period);

CREATE TABLE payments (
  org_id           uuid NOT NULL,
  project_id       uuid NOT NULL,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  unit_id          uuid NOT NULL,
  kind             text NOT NULL DEFAULT 'payment' CHECK (kind IN ('payment', 'refund')),
  refund_of        uuid,
  amount_fen       bigint NOT NULL CHECK (amount_fen > 0),
  method           text NOT NULL CHECK (method IN ('cash', 'wechat', 'alipay', 'bank', 'pos', 'other')),
  source           text NOT NULL DEFAULT 'staff' CHECK (source IN ('staff', 'integration', 'opening')),
  integration_id   uuid,
  external_id      text CHECK (length(external_id) <= 100),
  receipt_no       text NOT NULL,
  paid_at          timestamptz NOT NULL,
  unallocated_fen  bigint NOT NULL DEFAULT 0 CHECK (unallocated_fen >= 0),
  problem          text CHECK (problem IN ('OVERPAID')),
  invoice_no       text NOT NULL DEFAULT '' CHECK (length(invoice_no) <= 50),
  note             text NOT NULL DEFAULT '' CHECK (length(note) <= 200),
  recorded_by      text NOT NULL,
  reversed_at      timestamptz,
  reversed_by      text,
  reverse_reason   text CHECK (length(reverse_reason) <= 200),
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  UNIQUE (org_id, project_id, receipt_no),
  CHECK (unallocated_fen <= amount_fen),
  FOREIGN KEY (org_id, project_id, unit_id) REFERENCES units (org_id, project_id, id)
);
CREATE UNIQUE INDEX payments_external ON payments (org_id, integration_id, kind, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX payments_unit ON payments (org_id, project_id, unit_id, paid_at DESC);
CREATE INDEX payments_paid_at ON payments (org_id, project_id, paid_at);
-- The credits consumer walks the flats that hold credit.
CREATE INDEX payments_credit ON payments (org_id, project_id, unit_id) WHERE unallocated_fen > 0 AND reversed_at IS NULL;

CREATE TABLE payment_allocations (
  org_id      uuid NOT NULL,
  project_id  uuid NOT NULL,
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  payment_id  uuid NOT NULL,
  bill_id     uuid NOT NULL,
  amount_fen  bigint NOT NULL CHECK (amount_fen <> 0),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, project_id, payment_id) REFERENCES payments (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id, bill_id) REFERENCES bills (org_id, project_id, id)
);
CREATE INDEX payment_allocations_bill ON payment_allocations (org_id, bill_id);
CREATE INDEX payment_allocations_payment ON payment_allocations (org_id, payment_id);

CREATE TABLE bill_adjustments (
  org_id      uuid NOT NULL,
  project_id  uuid NOT NULL,
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  bill_id     uuid NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('waive', 'cancel')),
  amount_fen  bigint NOT NULL CHECK (amount_fen > 0),
  reason      text NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
  by          text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, project_id, bill_id) REFERENCES bills (org_id, project_id, id)
);
CREATE INDEX bill_adjustments_bill ON bill_adjustments (org_id, bill_id);

-- 收据号: one counter per project and Beijing day, taken with the payment in its transaction.
CREATE TABLE receipt_numbers (
  org_id      uuid NOT NULL,
  project_id  uuid NOT NULL,
  day         date NOT NULL,
  last        integer NOT NULL CHECK (last > 0),
  PRIMARY KEY (org_id, project_id, day),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);
"""

_WALLED = ("charge_items", "charge_rates", "charge_overrides", "bill_runs", "bills", "payments", "payment_allocations",
           "bill_adjustments", "receipt_numbers")


def upgrade() -> None:
    run_script(_TABLES + "".join(protect(t, project_rule()) for t in _WALLED))


def downgrade() -> None:
    run_script("DROP TABLE " + ", ".join(reversed(_WALLED)) + ";")
