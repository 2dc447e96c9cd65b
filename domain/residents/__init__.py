"""Residents as callers (owner apps): signing in through an integrator's key, their own limits,
and their cases (docs/resident-services.md §2)."""
