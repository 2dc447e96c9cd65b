from __future__ import annotations

from datetime import date, datetime

import strawberry

from api.context import Info
from api.graphql.mutations._bulletin import BulletinPayload, bulletin_payload
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.bulletin import BulletinFigure, BulletinKind
from api.graphql.types.node import from_global_id
from domain.reviews import service
from domain.reviews.commands import DraftBulletin
from domain.reviews.rules import BulletinDraft
from domain.sla.calendar import CHINA
from tenants.roles import Permission


@strawberry.input(description="内部通报 What a bulletin says, about whom, for which month, and on what grounds.")
class BulletinInput:
    project_id: strawberry.ID
    kind: BulletinKind
    title: str = strawberry.field(description="1–100 characters")
    body: str = strawberry.field(description="1–5,000 characters")
    month: date = strawberry.field(description="Any day of the month it is about; a month that has begun.")
    department_id: strawberry.ID | None = strawberry.field(default=None, description="The department praised or criticised; "
                                                                                       "a criticism must name one.")
    case_ids: list[strawberry.ID] = strawberry.field(default_factory=list, description="Cases of the same project, at most 20.")
    cited_figures: list[BulletinFigure] = strawberry.field(default_factory=list,
                                                           description="Figures it rests on; a criticism cites a figure or a case.")


@strawberry.mutation(permission_classes=[Requires(Permission.BULLETIN_PUBLISH)],
                     description="起草通报 Draft a bulletin, or rewrite a draft (bulletinId).")
@user_errors(BulletinPayload)
async def draft_bulletin(info: Info, input: BulletinInput, bulletin_id: strawberry.ID | None = None,
                         idempotency_key: IdempotencyKey = None) -> BulletinPayload:
    project_id = from_global_id(input.project_id, "Project", "projectId")
    existing = from_global_id(bulletin_id, "Bulletin", "bulletinId") if bulletin_id is not None else None
    draft = BulletinDraft(
        kind=input.kind.value, title=input.title, body=input.body, month=input.month,
        department_id=from_global_id(input.department_id, "Department", "departmentId") if input.department_id else None,
        case_ids=tuple(from_global_id(c, "Case", "caseIds") for c in input.case_ids),
        cited_figures=tuple(f.value for f in input.cited_figures),
    )
    cmd = DraftBulletin(project_id=project_id, draft=draft, bulletin_id=existing, idempotency_key=idempotency_key)
    done = await service.draft_bulletin(cmd, unit_of_work(info), today=datetime.now(CHINA).date())
    return await bulletin_payload(info, done)
