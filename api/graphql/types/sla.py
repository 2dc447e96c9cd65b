"""时效 A case's SLA targets and escalations as the API shows them."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.node import Node, to_global_id
from api.graphql.types.viewer import User
from domain.reads import Row
from domain.sla.status import LABELS, TARGET_LABELS, SlaState as SlaStateModel, state, worst

SlaState = strawberry.enum(SlaStateModel, name="SlaState", description="时效状态 Where a target stands.")
LEVEL_LABELS = {"remind": "提醒 Reminder", "l1": "一级 L1 客服主管", "l2": "二级 L2 项目经理", "l3": "三级 L3 总部"}
REASON_LABELS = {"timer": "超时 Target passed", "undispatchable": "无法派单 Nobody to send",
                 "dissatisfied": "回访不满意 Dissatisfied", "skip_level": "越级投诉 Skip-level complaint",
                 "referral_overdue": "转办逾期未复 Referral overdue"}


@strawberry.type(description="One SLA target of a case: commitment, arrival, resolution or return visit.")
class SlaTarget:
    target: str = strawberry.field(description="commit, arrive, resolve or visit")
    round: int = strawberry.field(description="0, then 1, 2 … for each reopening")
    started_at: datetime = strawberry.field(description="When this target's clock started (its deadline counts from here).")
    due_at: datetime = strawberry.field(description="The deadline now: after a broken promise, the new promise.")
    met_at: datetime | None
    broken_at: datetime | None = strawberry.field(
        description="失约 When the promise this target stood for was broken: the target stays breached, then met late.")
    provisional: bool = strawberry.field(description="Counted over days no holiday calendar covers yet.")
    state: SlaState
    minutes_left: int | None = strawberry.field(
        description="Until the deadline (after a broken promise, the new one); negative once past it; null when met or stopped.")

    @strawberry.field
    def target_label(self) -> str:
        return TARGET_LABELS[self.target]

    @strawberry.field
    def state_label(self) -> str:
        return LABELS[self.state]

    @classmethod
    def from_row(cls, row: Row, now: datetime) -> SlaTarget:
        s = state(started_at=row.started_at, due_at=row.due_at, met_at=row.met_at, closed_by=row.closed_by,
                  paused_at=row.paused_at, now=now, remind_pct=row.remind_pct, broken_at=row.broken_at)
        left = None if s in (SlaStateModel.MET, SlaStateModel.MET_LATE, SlaStateModel.STOPPED) else \
            int((row.due_at - now).total_seconds() // 60)
        return cls(target=row.target, round=row.round, started_at=row.started_at, due_at=row.due_at, met_at=row.met_at,
                   broken_at=row.broken_at,
                   provisional=row.provisional,
                   state=s, minutes_left=left)


@strawberry.type(description="时效 The SLA of a case.")
class CaseSla:
    targets: list[SlaTarget]

    @strawberry.field(description="The worst state of the case's targets; null before any.")
    def state(self) -> SlaState | None:
        return worst([t.state for t in self.targets])

    @strawberry.field
    def state_label(self) -> str | None:
        s = worst([t.state for t in self.targets])
        return LABELS[s] if s else None


@strawberry.type(description="升级 One step up the ladder: who was told, and why.")
class Escalation(Node):
    recipient_ids: strawberry.Private[list[UUID]]
    level: str = strawberry.field(description="remind, l1, l2 or l3")
    reason: str = strawberry.field(description="timer, undispatchable, dissatisfied, skip_level or referral_overdue")
    target: str | None
    due_at: datetime | None
    fired_at: datetime

    @strawberry.field
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]

    @strawberry.field
    def reason_label(self) -> str:
        return REASON_LABELS[self.reason]

    @strawberry.field
    async def recipients(self, info: Info) -> list[User]:
        rows = await info.context.loaders.user_by_id.load_many(self.recipient_ids)
        return [User.from_row(r) for r in rows if r is not None]

    @classmethod
    def from_row(cls, row: Row) -> Escalation:
        return cls(id=to_global_id("Escalation", row.id), recipient_ids=list(row.recipients), level=row.level,
                   reason=row.reason, target=row.target, due_at=row.due_at, fired_at=row.fired_at)


async def case_sla(info: Info, case_id: UUID) -> CaseSla:
    now = datetime.now(UTC)
    return CaseSla(targets=[SlaTarget.from_row(r, now) for r in await info.context.loaders.targets_by_case.load(case_id)])


async def case_escalations(info: Info, case_id: UUID) -> list[Escalation]:
    return [Escalation.from_row(r) for r in await info.context.loaders.escalations_by_case.load(case_id)]
