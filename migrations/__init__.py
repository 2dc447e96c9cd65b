"""Alembic migrations: tables, row-level-security policies and the database roles."""
