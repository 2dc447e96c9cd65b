from __future__ import annotations

import strawberry
from sqlalchemy import text

from api.context import Info
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import require_on, write
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from domain.errors import not_found
from domain.outbox import write_audit
from tenants.roles import Permission


@strawberry.type
class RevealPayload:
    value: str | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(
    permission_classes=[Requires(Permission.PERSONAL_DATA_READ)],
    description="显示号码 Show a staff member's full phone number. Recorded in the audit log.",
)
@user_errors(RevealPayload)
async def reveal_staff_phone(info: Info, staff_id: strawberry.ID) -> RevealPayload:
    p = info.context.principal
    cipher = info.context.platform.cipher
    sid = from_global_id(staff_id, "Staff", "staffId")

    async def work(conn):
        row = (await conn.execute(text("SELECT project_id, phone_enc FROM staff WHERE id = :id"), {"id": sid})).first()
        if row is None:
            raise not_found("The staff member", "staffId")
        require_on(info, Permission.PERSONAL_DATA_READ, row.project_id)
        # The read and its audit row commit together: no unaudited reveal.
        await write_audit(conn, org_id=p.org_id, project_id=row.project_id, actor=p.actor, action="personal_data.revealed",
                          entity="staff", entity_id=sid, data={"field": "phone"})
        return cipher.decrypt(bytes(row.phone_enc)) if row.phone_enc else None

    value = await write(info, work)
    return RevealPayload(value=value)
