from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._belongings_payload import ContactPayload
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.belongings import ContactKindType, ResidentContact
from api.graphql.types.node import from_global_id
from api.graphql.types.resident import load_resident
from domain.archive import belongings_service as service
from domain.archive.belongings_commands import AddContact
from domain.archive.kinds import ContactKind
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.ARCHIVE_MANAGE)],
                     description="添加联系方式 Add a phone, e-mail, WeChat or emergency contact to a resident; stored "
                                 "encrypted, answered masked.")
@user_errors(ContactPayload)
async def add_resident_contact(info: Info, resident_id: strawberry.ID, kind: ContactKindType, value: str, label: str = "",
                               idempotency_key: IdempotencyKey = None) -> ContactPayload:
    cmd = AddContact(resident_id=from_global_id(resident_id, "Resident", "residentId"), kind=ContactKind(kind), value=value,
                     label=label, idempotency_key=idempotency_key)
    done = await service.add_contact(cmd, unit_of_work(info), cipher=info.context.platform.cipher)
    rows = await info.context.loaders.contacts_by_resident.load(done.resident_id)
    contact = next((ResidentContact.from_row(r) for r in rows if r.id == done.id), None)
    return ContactPayload(contact=contact, resident=await load_resident(info, done.resident_id))
