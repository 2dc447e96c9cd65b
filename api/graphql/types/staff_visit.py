"""投诉回访员工 A return visit to a member of staff a complaint was about, beside the resident's own."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.node import to_global_id
from api.graphql.types.viewer import User
from domain.cases.staff_visits import OUTCOME_LABELS
from domain.reads import Row

StaffVisitOutcome = strawberry.enum(Enum("StaffVisitOutcome", {k.upper(): k for k in OUTCOME_LABELS}),
                                    description="已认识问题 acknowledged, 有异议 disputed, 已辅导 coached")


@strawberry.type(description="投诉回访员工 Who was heard about a complaint, by whom, and what came of it.")
class StaffVisit:
    id: strawberry.ID
    user_id: strawberry.Private[UUID]
    outcome: StaffVisitOutcome
    outcome_label: str
    note: str
    by: str = strawberry.field(description="The visitor (user:<id>).")
    at: datetime

    @strawberry.field(description="The member of staff visited.")
    async def staff(self, info: Info) -> User | None:
        row = await info.context.loaders.user_by_id.load(self.user_id)
        return User.from_row(row) if row else None

    @classmethod
    def from_row(cls, r: Row) -> StaffVisit:
        return cls(id=to_global_id("StaffVisit", r.id), user_id=r.user_id, outcome=StaffVisitOutcome(r.outcome),
                   outcome_label=OUTCOME_LABELS[r.outcome], note=r.note, by=r.by, at=r.at)
