from __future__ import annotations

from uuid import UUID

import strawberry
from sqlalchemy import text

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.permissions import Requires
from api.graphql.types.dead_letter import DeadLetter, dead_letter
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from domain.errors import DomainError, conflict, not_found
from domain.outbox import write_audit
from tenants.roles import Permission

_LETTER = text("SELECT id, event_id, retried_at FROM dead_letters WHERE id = :id FOR UPDATE")
_MARK = text("UPDATE dead_letters SET retried_at = now(), retried_by = :by WHERE id = :id")


@strawberry.type
class RetryDeadLetterPayload:
    dead_letter: DeadLetter | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.EVENTS_MANAGE)],
                     description="重新投递 Publish the event again; consumers that already handled it skip it.")
async def retry_dead_letter(info: Info, id: strawberry.ID, idempotency_key: IdempotencyKey = None) -> RetryDeadLetterPayload:
    try:
        require_on(info, Permission.EVENTS_MANAGE, None)
        p = info.context.require()
        letter_id = from_global_id(id, "DeadLetter", "id")

        async def work(conn) -> dict:
            letter = (await conn.execute(_LETTER, {"id": letter_id})).first()
            if letter is None:
                raise not_found("The dead letter", "id")
            if letter.retried_at is not None:
                raise conflict("This dead letter was already sent again; a new failure comes back as a new one.", "id")
            if not (await conn.execute(text("SELECT outbox_republish(:e)"), {"e": letter.event_id})).scalar_one():
                raise not_found("The event of this dead letter", "id")
            await conn.execute(_MARK, {"id": letter_id, "by": p.actor})
            await write_audit(conn, org_id=p.org_id, project_id=None, actor=p.actor, action="event.republished", entity="event",
                              entity_id=letter.event_id, data={"dead_letter_id": str(letter_id)})
            return {"id": str(letter_id)}

        result = await write(info, lambda conn: once(info, conn, idempotency_key, "retryDeadLetter", {"id": id}, work))
    except DomainError as e:
        return RetryDeadLetterPayload(errors=[UserError.of(e)])
    return RetryDeadLetterPayload(dead_letter=await dead_letter(info, UUID(result["id"])))
