"""migrations/rls.py's tenant finder writes what the revisions before it wrote by hand, so a new
revision using it gets the same SECURITY DEFINER function, grants and name."""

from pathlib import Path

import pytest

from migrations.rls import tenant_finder
from tenants.settings import APP_ROLE

_VERSIONS = Path(__file__).resolve().parents[2] / "migrations" / "versions"


@pytest.mark.parametrize(("revision", "entity", "table"), [
    ("0019_referrals.py", "outside_body", "outside_bodies"),
    ("0020_gov_bridge.py", "gov_bridge", "gov_bridges"),
    ("0038_fee_payments.py", "payment_integration", "payment_integrations"),
    ("0047_calls.py", "telephony_integration", "telephony_integrations"),
])
def test_the_tenant_finder_is_what_the_revisions_wrote(revision: str, entity: str, table: str) -> None:
    written = (_VERSIONS / revision).read_text().replace("{APP_ROLE}", APP_ROLE)
    made = tenant_finder(entity, table)
    assert made.strip() in written
    assert f"FROM {table} WHERE id = p_id" in made and f"GRANT EXECUTE ON FUNCTION {entity}_tenant(uuid) TO {APP_ROLE};" in made
