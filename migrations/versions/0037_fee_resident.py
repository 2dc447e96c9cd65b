"""The resident's side of the fee core (docs/resident-services.md §6.9): a resident reads the bills
of their current flats for months that ended on or after they moved in, the payments made for
those flats since then and how those payments were shared among bills, and the names and kinds of
the project's charge items. What a previous occupant owed or paid is not theirs. Payments show no
staff notes, who recorded or reversed them, or the integrator's ids. Also writes the resident
policies of `notice_recipients` and `notice_reads` again with the flat compared correctly.

Revision ID: 0037_fee_resident
Revises: 0036_archive_cleanup
"""

from migrations.rls import RESIDENT_PROJECT, protect_for_resident, resident_unit_rule, run_script
from tenants.settings import RESIDENT_ROLE

revision = "0037_fee_resident"
down_revision = "0036_archive_cleanup"
branch_labels = None
depends_on = None

# Under the payments policy itself: only the shares of the resident's own payments are found.
_OWN_ALLOCATION = (f"{RESIDENT_PROJECT} AND EXISTS (SELECT 1 FROM payments p WHERE p.org_id = payment_allocations.org_id "
                   "AND p.id = payment_allocations.payment_id)")
_TABLES = ("bills", "payments", "payment_allocations", "charge_items")
# 0035 wrote these with the earlier resident_unit_rule, whose bare `unit_id` matched inside its own
# subquery: a resident saw every flat's recipient rows and could record a read for any flat of the
# project. Written again, qualified, with the rule as it now is.
_OWN_READ = f"notice_reads.resident_id = (SELECT app_resident_id()) AND {resident_unit_rule('notice_reads.unit_id')}"
_NOTICE_FIX = (
    "DROP POLICY IF EXISTS resident_wall_select ON notice_recipients; DROP POLICY IF EXISTS resident_wall_select ON notice_reads; "
    "DROP POLICY IF EXISTS resident_wall_insert ON notice_reads;\n"
    + protect_for_resident("notice_recipients", {"SELECT": resident_unit_rule("notice_recipients.unit_id")})
    + protect_for_resident("notice_reads", {"SELECT": _OWN_READ, "INSERT": _OWN_READ}))


def upgrade() -> None:
    run_script(
        protect_for_resident("bills", {"SELECT": resident_unit_rule("bills.unit_id", "bills.period_end")},
                             "org_id, project_id, id, unit_id, charge_item_id, space_id, period, period_end, due_on, "
                             "amount_fen, waived_fen, paid_fen, state, source, note, closed_at, created_at")
        + protect_for_resident("payments", {"SELECT": resident_unit_rule("payments.unit_id", "payments.paid_at")},
                               "org_id, project_id, id, unit_id, kind, refund_of, amount_fen, method, receipt_no, paid_at, "
                               "unallocated_fen, invoice_no, reversed_at, created_at")
        + protect_for_resident("payment_allocations", {"SELECT": _OWN_ALLOCATION})
        + protect_for_resident("charge_items", {"SELECT": RESIDENT_PROJECT}, "org_id, project_id, id, code, name, kind")
        + _NOTICE_FIX)


def downgrade() -> None:
    # The notice policies stay as corrected: going back must not reopen them.
    run_script("".join(f"DROP POLICY IF EXISTS resident_wall_select ON {t}; REVOKE ALL ON {t} FROM {RESIDENT_ROLE};"
                       for t in _TABLES))
