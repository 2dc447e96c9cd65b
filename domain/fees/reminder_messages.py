"""What a messaging bridge is told of reminders (docs/resident-services.md §6.6): whom to remind,
500 flats a batch, with their occupants' ids and what they owe. Ids for a program, not words for
people, so only a webhook may subscribe; only the schedule's own channels hear it (the payload's
`channel_ids`)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

FEE_TOPICS = frozenset({"fee.reminders"})
_NAMES = text("SELECT p.name AS project_name, s.name FROM reminder_schedules s "
              "JOIN projects p ON p.org_id = s.org_id AND p.id = s.project_id WHERE s.org_id = :o AND s.id = :s")


async def reminder_message(conn: AsyncConnection, org_id: UUID, payload: dict[str, Any]) -> tuple[str, str] | None:
    row = (await conn.execute(_NAMES, {"o": org_id, "s": UUID(payload["schedule_id"])})).first()
    if row is None:
        return None
    return (f"【催缴】{row.name}（{payload.get('batch')}/{payload.get('batches')}）",
            f"{row.project_name}：本批 {len(payload.get('units') or ())} 户，{payload.get('month', '')[:7]}。")
