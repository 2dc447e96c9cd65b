"""Read models of a case's history and links, for the API's timeline and dataloaders."""

from __future__ import annotations

from sqlalchemy import text

TIMELINE = text(
    "SELECT id, at, action, from_state, to_state, actor, note, data FROM audit_log "
    "WHERE entity = 'case' AND entity_id = :c ORDER BY at, id"
)


def repeats_of(columns: str, source: str):
    """The cases linked as repeats of each earlier case, oldest first (index cases_repeat_of)."""
    return text(f"SELECT {columns} FROM {source} WHERE c.repeat_of = ANY(:ids) ORDER BY c.received_at, c.id")
