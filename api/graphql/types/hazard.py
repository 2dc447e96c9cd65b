"""隐患台账 Hazards as staff read them: where each was seen and from what, its grade, owner and
deadline, the rectification, the verification or the accepted risk, and the ladder's rungs."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.actor import Actor, actor_of
from api.graphql.types.improvement import ItemEscalation
from api.graphql.types.node import Node, to_global_id
from api.graphql.types.project import Project
from api.graphql.types.viewer import User
from domain.followup.ladder import LEVEL_LABELS
from domain.hazards import reads
from domain.hazards.rules import CATEGORY_LABELS, GRADE_LABELS, SOURCE_LABELS, STATE_LABELS
from domain.reads import Row

HazardSource = strawberry.enum(Enum("HazardSource", {k.upper(): k for k in SOURCE_LABELS}),
                               description="巡查 patrol (a visit), 排查 sweep, 品质检查 inspection, 工单 case, 随手拍 report")
HazardCategory = strawberry.enum(Enum("HazardCategory", {k.upper(): k for k in CATEGORY_LABELS}),
                                 description="消防 fire, 用电 electrical, 燃气 gas, 电梯 elevator, 结构 structure, "
                                             "高空坠物 falling, 给排水 water, 交通 traffic, 其他 other")
HazardGrade = strawberry.enum(Enum("HazardGrade", {k.upper(): k for k in GRADE_LABELS}),
                              description="重大 major (24 h), 较大 significant (3 days), 一般 general (7 days), 低 low (30 days)")
HazardState = strawberry.enum(Enum("HazardState", {k.upper(): k for k in STATE_LABELS}),
                              description="待指派 open → 整改中 rectifying → 待验证 rectified → 已验证 verified (or back to "
                                          "rectifying); 风险接受 accepted")
# The global id type of each source's record, so a client can open it with node(id).
_SOURCE_TYPES = {"patrol": "PatrolVisit", "inspection": "Inspection", "case": "Case", "sweep": "Sweep"}


def _gid(kind: str, value: UUID | None) -> strawberry.ID | None:
    return to_global_id(kind, value) if value else None


@strawberry.type(description="隐患 A hazard on the register: numbered YH-<project>-<day>-<nn>, graded, owned, due, "
                             "rectified and verified by someone other than its owner — or its risk accepted.")
class Hazard(Node):
    row: strawberry.Private[Row]
    number: str
    source: HazardSource
    title: str
    description: str
    category: HazardCategory
    grade: HazardGrade
    place: str
    photos: list[str]
    deadline: datetime
    state: HazardState
    overdue: bool = strawberry.field(description="Not yet rectified and past its deadline.")
    rectification_note: str | None
    rectification_photos: list[str]
    rectified_at: datetime | None
    verified_at: datetime | None
    verify_note: str | None = strawberry.field(description="验证意见; for a failed verification, why.")
    failed_count: int = strawberry.field(description="How many times verification sent it back.")
    accepted_reason: str | None = strawberry.field(description="风险接受 Why the risk was accepted.")
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    def source_label(self) -> str:
        return SOURCE_LABELS[self.row.source]

    @strawberry.field
    def category_label(self) -> str:
        return CATEGORY_LABELS[self.row.category]

    @strawberry.field
    def grade_label(self) -> str:
        return GRADE_LABELS[self.row.grade]

    @strawberry.field
    def state_label(self) -> str:
        return STATE_LABELS[self.row.state]

    @strawberry.field(description="The record it was seen in (a PatrolVisit, Inspection, Case or Sweep id); null for REPORT.")
    def source_id(self) -> strawberry.ID | None:
        kind = _SOURCE_TYPES.get(self.row.source)
        return _gid(kind, self.row.source_id) if kind else None

    @strawberry.field
    def building_id(self) -> strawberry.ID | None:
        return _gid("Building", self.row.building_id)

    @strawberry.field
    def unit_id(self) -> strawberry.ID | None:
        return _gid("Unit", self.row.unit_id)

    @strawberry.field
    async def project(self, info: Info) -> Project | None:
        row = await info.context.loaders.project_by_id.load(self.row.project_id)
        return Project.from_row(row) if row else None

    @strawberry.field(description="责任人 The owner; null until assigned.")
    async def owner(self, info: Info) -> User | None:
        if self.row.owner_user_id is None:
            return None
        row = await info.context.loaders.user_by_id.load(self.row.owner_user_id)
        return User.from_row(row) if row else None

    @strawberry.field(description="上报人 Who reported it.")
    async def reporter(self, info: Info) -> Actor:
        return await actor_of(info, self.row.reported_by)

    @strawberry.field(description="验证人 Who verified it.")
    async def verifier(self, info: Info) -> Actor | None:
        return await actor_of(info, self.row.verified_by) if self.row.verified_by else None

    @strawberry.field(description="The ladder's rungs fired while it was past its deadline, oldest first.")
    async def escalations(self, info: Info) -> list[ItemEscalation]:
        return [ItemEscalation(level=e.level, level_label=LEVEL_LABELS[e.level], due_at=e.due_at, fired_at=e.fired_at,
                               recipient_count=len(e.recipients))
                for e in await reads.escalations(info.context.db, self.row.id)]

    @classmethod
    def from_row(cls, r: Row) -> Hazard:
        return cls(id=to_global_id("Hazard", r.id), row=r, number=r.number, source=HazardSource(r.source), title=r.title,
                   description=r.description, category=HazardCategory(r.category), grade=HazardGrade(r.grade), place=r.place,
                   photos=list(r.photos), deadline=r.deadline, state=HazardState(r.state), overdue=r.overdue,
                   rectification_note=r.rectification_note, rectification_photos=list(r.rectification_photos),
                   rectified_at=r.rectified_at, verified_at=r.verified_at, verify_note=r.verify_note,
                   failed_count=r.failed_count, accepted_reason=r.accepted_reason, created_at=r.created_at,
                   updated_at=r.updated_at)


async def hazard(info: Info, hazard_id: UUID) -> Hazard | None:
    row = await reads.hazard(info.context.db, hazard_id)
    return Hazard.from_row(row) if row else None
