"""Dead letters: events a consumer gave up on after all its retries."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.context import Info
from api.graphql.types.node import Node, to_global_id
from domain.errors import invalid
from domain.notifications import reads
from domain.reads import Row


@strawberry.type(description="死信 An event a consumer could not handle after all its retries.")
class DeadLetter(Node):
    event_id: strawberry.ID
    topic: str
    attempts: int
    error: str = strawberry.field(description="The last traceback, shortened.")
    failed_at: datetime
    retried_at: datetime | None
    retried_by: str | None

    @classmethod
    def from_row(cls, row: Row) -> DeadLetter:
        return cls(id=to_global_id("DeadLetter", row.id), event_id=strawberry.ID(str(row.event_id)), topic=row.topic,
                   attempts=row.attempts, error=row.error[-2000:], failed_at=row.failed_at, retried_at=row.retried_at,
                   retried_by=row.retried_by)


async def dead_letters(info: Info, include_retried: bool, first: int) -> list[DeadLetter]:
    if not 1 <= first <= 200:
        raise invalid("数量 first 须在 1 到 200 之间。first must be between 1 and 200.", "first")
    return [DeadLetter.from_row(r) for r in await reads.dead_letters(info.context.db, include_retried, first)]


async def dead_letter(info: Info, letter_id) -> DeadLetter | None:
    row = await reads.dead_letter(info.context.db, letter_id)
    return DeadLetter.from_row(row) if row else None
