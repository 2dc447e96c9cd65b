"""Who did something, as the records name it: `user:<id>`, `api_key:<id>`, `resident:<id>` (an
owner app's resident, docs/owner-app.md), or a part of the system
(`system`, `system:demo`, `worker:provisioning`, `bridge:<id>` for a 12345 bridge). The API shows
these as objects; this module reads the label and holds the read model that names them."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import text

PEOPLE_AND_KEYS = ("user", "api_key", "resident")
SYSTEM_LABELS = {"bridge": "12345对接 12345 bridge", "payment_integration": "缴费对接 Payment integrator", "worker": "系统 System",
                 "system": "系统 System"}

# By id, whatever the label says: a case transition made with an API key was once recorded as
# `user:<key id>`. Row-level security keeps both to the caller's company.
ACTORS_BY_ID = text(
    "SELECT id, 'user' AS kind, display_name AS name FROM users WHERE org_id = :o AND id = ANY(:ids) "
    "UNION ALL SELECT id, 'api_key' AS kind, name FROM api_keys WHERE org_id = :o AND id = ANY(:ids) "
    "UNION ALL SELECT id, 'resident' AS kind, CASE WHEN erased_at IS NULL THEN name ELSE '已删除住户' END AS name "
    "FROM residents WHERE org_id = :o AND id = ANY(:ids)"
)
# What the ApiKey type shows, wherever a key is read.
API_KEY_COLUMNS = "id, prefix, name, access, permissions, project_ids, expires_at, revoked_at, last_used_at, created_at"
API_KEY_BY_ID = text(f"SELECT {API_KEY_COLUMNS} FROM api_keys WHERE id = :id")


def parse_actor(label: str) -> tuple[str, UUID | None]:
    """(kind, id): kind `user`, `api_key` or `resident` with its id, or the system part's name with None."""
    kind, _, rest = label.partition(":")
    if kind in PEOPLE_AND_KEYS:
        try:
            return kind, UUID(rest)
        except ValueError:
            return "system", None
    return kind if kind in SYSTEM_LABELS else "system", None


def system_name(kind: str) -> str:
    return SYSTEM_LABELS.get(kind, SYSTEM_LABELS["system"])
