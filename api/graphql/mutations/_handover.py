"""What the shift-log mutations share: the payloads and the id parsers."""

from __future__ import annotations

from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.errors import UserError
from api.graphql.types.handover import ShiftLog, ShiftLogEntry, shift_log, shift_log_entry
from api.graphql.types.node import from_global_id


@strawberry.type
class ShiftLogPayload:
    log: ShiftLog | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ShiftLogEntryPayload:
    entry: ShiftLogEntry | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def log_payload(info: Info, log_id: UUID) -> ShiftLogPayload:
    return ShiftLogPayload(log=await shift_log(info, log_id))


async def entry_payload(info: Info, entry_id: UUID) -> ShiftLogEntryPayload:
    return ShiftLogEntryPayload(entry=await shift_log_entry(info, entry_id))


def parse_log_id(value: strawberry.ID) -> UUID:
    return from_global_id(value, "ShiftLog", "logId")
