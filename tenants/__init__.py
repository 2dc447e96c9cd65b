"""Organizations and projects, tenant context, row-level-security sessions, roles, API keys,
provisioning — and the platform pieces every layer shares (settings, database, telemetry)."""
