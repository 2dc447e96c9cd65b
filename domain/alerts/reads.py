"""客情预警 Read models of alerts and the company's thresholds, for the API."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.alerts.repository import SETTINGS_SQL, settings_from_row
from domain.alerts.rules import AlertSettings
from domain.reads import Reader, Row

ALERT_COLUMNS = ("id, project_id, rule, colour, title, detail, case_ids, state, opened_at, acknowledged_at, acknowledged_by, "
                 "resolved_at, resolved_by, resolution_note")
_LIST = text(f"SELECT {ALERT_COLUMNS} FROM alerts WHERE org_id = :org AND (CAST(:s AS text) IS NULL OR state = :s) "
             "ORDER BY array_position(ARRAY['red', 'orange', 'yellow'], colour), opened_at DESC, id LIMIT :n")
_ONE = text(f"SELECT {ALERT_COLUMNS} FROM alerts WHERE org_id = :org AND id = :id")


async def alert_rows(db: Reader, state: str | None, first: int) -> list[Row[Any]]:
    """Red before orange before yellow, newest first within a colour."""
    return await db.all(_LIST, {"org": db.org_id, "s": state, "n": first})


async def alert_row(db: Reader, alert_id: UUID) -> Row[Any] | None:
    return await db.first(_ONE, {"org": db.org_id, "id": alert_id})


async def alert_settings(db: Reader) -> AlertSettings:
    return settings_from_row(await db.first(SETTINGS_SQL, {"o": db.org_id}))
