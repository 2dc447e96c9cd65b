"""持续改进 Corrective actions as staff read them: where each came from, who owns it, when it is due,
the evidence, headquarters' verdict, and the rungs of the ladder it has climbed."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.actor import Actor, actor_of
from api.graphql.types.node import Node, to_global_id
from api.graphql.types.project import Project
from api.graphql.types.viewer import User
from domain.followup.ladder import LEVEL_LABELS
from domain.improvements import reads
from domain.improvements.rules import SOURCE_LABELS, STATE_LABELS
from domain.reads import Row

ActionSource = strawberry.enum(Enum("ActionSource", {k.upper(): k for k in SOURCE_LABELS}),
                               description="案例研判, 客情预警, 品质检查, 隐患, 排查, 其他")
ActionState = strawberry.enum(Enum("ActionState", {k.upper(): k for k in STATE_LABELS}),
                              description="整改中 open → 待验证 done → 已验证 verified (or back to open)")
# The global id type of each source's record, so a client can open it with node(id).
_SOURCE_TYPES = {"case_review": "CaseReview", "alert": "Alert", "inspection": "Inspection", "hazard": "Hazard"}


@strawberry.type(description="One rung of the ladder an overdue item climbed: who was told, when.")
class ItemEscalation:
    level: str
    level_label: str
    due_at: datetime
    fired_at: datetime
    recipient_count: int


_STEP_LABELS = {"improvement.raised": "提出整改 Raised", "improvement.completed": "提交整改 Completed",
                "improvement.returned": "退回 Returned", "improvement.verified": "验证通过 Verified"}


@strawberry.type(description="整改记录 One step of a corrective action as the audit log keeps it.")
class ActionStep:
    row: strawberry.Private[Row]
    at: datetime
    action: str = strawberry.field(description="improvement.raised, .completed, .returned or .verified")
    note: str | None = strawberry.field(description="退回原因 for a return.")

    @strawberry.field(description="Chinese label first, English beside.")
    def label(self) -> str:
        return _STEP_LABELS.get(self.action, self.action)

    @strawberry.field(description="逾期完成 A completion after the due day; null for other steps.")
    def late(self) -> bool | None:
        return self.row.data.get("late") if self.row.data else None

    @strawberry.field
    async def actor(self, info: Info) -> Actor:
        return await actor_of(info, self.row.actor)


@strawberry.type(description="整改措施 A corrective action: raised from what showed the need, owned by one person, due on a "
                             "Beijing day, done with evidence, verified by headquarters.")
class ImprovementAction(Node):
    row: strawberry.Private[Row]
    source: ActionSource
    title: str
    description: str
    due_on: date
    state: ActionState
    overdue: bool = strawberry.field(description="Open and past its due day (Beijing).")
    evidence_note: str | None
    evidence_files: list[str]
    done_at: datetime | None
    done_by: str | None
    verified_at: datetime | None
    verified_by: str | None
    return_reason: str | None = strawberry.field(description="退回原因 Why headquarters last returned it.")
    returned_count: int
    raised_by: str
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    def source_label(self) -> str:
        return SOURCE_LABELS[self.row.source]

    @strawberry.field
    def state_label(self) -> str:
        return STATE_LABELS[self.row.state]

    @strawberry.field(description="The record it was raised from (a CaseReview, Alert, Inspection or Hazard id); null for OTHER.")
    def source_id(self) -> strawberry.ID | None:
        kind = _SOURCE_TYPES.get(self.row.source)
        return to_global_id(kind, self.row.source_id) if kind and self.row.source_id else None

    @strawberry.field
    async def project(self, info: Info) -> Project | None:
        row = await info.context.loaders.project_by_id.load(self.row.project_id)
        return Project.from_row(row) if row else None

    @strawberry.field(description="责任人 The owner.")
    async def owner(self, info: Info) -> User | None:
        row = await info.context.loaders.user_by_id.load(self.row.owner_user_id)
        return User.from_row(row) if row else None

    @strawberry.field(description="The ladder's rungs fired while it was overdue, oldest first.")
    async def escalations(self, info: Info) -> list[ItemEscalation]:
        return [ItemEscalation(level=e.level, level_label=LEVEL_LABELS[e.level], due_at=e.due_at, fired_at=e.fired_at,
                               recipient_count=len(e.recipients))
                for e in await info.context.loaders.escalations_by_action.load(self.row.id)]

    @strawberry.field(description="提出人 Who raised it.")
    async def raiser(self, info: Info) -> Actor:
        return await actor_of(info, self.raised_by)

    @strawberry.field(description="整改记录 Raised, each completion, each return and the verification, oldest first.")
    async def history(self, info: Info) -> list[ActionStep]:
        return [ActionStep(row=r, at=r.at, action=r.action, note=r.note) for r in await reads.history(info.context.db, self.row.id)]

    @classmethod
    def from_row(cls, r: Row) -> ImprovementAction:
        return cls(id=to_global_id("ImprovementAction", r.id), row=r, source=ActionSource(r.source), title=r.title,
                   description=r.description, due_on=r.due_on, state=ActionState(r.state), overdue=r.overdue,
                   evidence_note=r.evidence_note, evidence_files=list(r.evidence_files), done_at=r.done_at, done_by=r.done_by,
                   verified_at=r.verified_at, verified_by=r.verified_by, return_reason=r.return_reason,
                   returned_count=r.returned_count, raised_by=r.raised_by, created_at=r.created_at, updated_at=r.updated_at)


async def improvement_action(info: Info, action_id: UUID) -> ImprovementAction | None:
    row = await reads.action(info.context.db, action_id)
    return ImprovementAction.from_row(row) if row else None
