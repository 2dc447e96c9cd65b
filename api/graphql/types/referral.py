"""转办 Referrals of cases to outside bodies, with their history and what was sent. A list is four
statements whatever its length: the referrals, then their bodies, history and deliveries."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.actor import Actor, actor_of
from api.graphql.types.case import Case
from api.graphql.types.node import Node, to_global_id
from api.graphql.types.project import Project
from api.graphql.types.outside_body import OutsideBody, bodies_by_id
from domain.errors import invalid
from domain.referrals import reads
from domain.referrals.model import OPEN, STATUS_LABELS, ReferralStatus as Status

ReferralStatus = strawberry.enum(Status, name="ReferralStatus", description="转办状态 sent → acknowledged → answered, or withdrawn")
UPDATE_LABELS = {"sent": "已转办 Sent", "acknowledged": "已签收 Acknowledged",
                 "answered": "已答复 Answered", "reminded": "已催办 Reminded", "escalated": "已升级 Escalated",
                 "withdrawn": "已撤回 Withdrawn", "printed": "已打印 Printed"}


@strawberry.type(description="转办记录 One step of a referral's history.")
class ReferralUpdate:
    kind: str = strawberry.field(description="sent, acknowledged, answered, reminded, escalated, withdrawn or printed")
    kind_label: str
    via: str = strawberry.field(description="inbound (the body itself), staff or system")
    note: str | None
    at: datetime
    actor: str = strawberry.field(description="user:<id>, api_key:<id> or system", deprecation_reason="Use actedBy.")

    @strawberry.field(description="行为人 Who did it.")
    async def acted_by(self, info: Info) -> Actor:
        return await actor_of(info, self.actor)


@strawberry.type(description="What was sent to the body for a referral: the referral itself and each reminder.")
class ReferralDelivery:
    id: strawberry.ID
    topic: str
    title: str
    kind: str = strawberry.field(description="webhook, email or letter")
    status: str = strawberry.field(description="pending, sent or printed (a letter stays pending until printed)")
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None


@strawberry.type(description="转办 A case referred to an outside body, with the body's own clock.")
class Referral(Node):
    case_id: strawberry.ID
    project_id: strawberry.ID
    status: ReferralStatus
    reason: str
    requested_action: str
    created_at: datetime
    created_by: str = strawberry.field(description="user:<id> or api_key:<id>", deprecation_reason="Use creator.")
    acknowledged_at: datetime | None
    answered_at: datetime | None
    outcome: str | None
    due_at: datetime = strawberry.field(description="反馈期限 The body's answer is due.")
    reminders_sent: int
    escalated_level: str | None = strawberry.field(description="l1, l2 or l3: how far the case climbed while the body was silent.")
    body: OutsideBody | None
    history: list[ReferralUpdate]
    deliveries: list[ReferralDelivery]
    case_uuid: strawberry.Private[UUID]
    project_uuid: strawberry.Private[UUID]

    @strawberry.field
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @strawberry.field(description="The project of the referred case, if visible.")
    async def project(self, info: Info) -> Project | None:
        row = await info.context.loaders.project_by_id.load(self.project_uuid)
        return Project.from_row(row) if row else None

    @strawberry.field(description="转办人 Who referred the case.")
    async def creator(self, info: Info) -> Actor:
        return await actor_of(info, self.created_by)

    @strawberry.field(description="逾期 Still open past its due time.")
    def overdue(self) -> bool:
        return self.status in OPEN and datetime.now(UTC) > self.due_at

    @strawberry.field(description="The case, if visible.")
    async def case(self, info: Info) -> Case | None:
        row = await info.context.loaders.case_by_id.load(self.case_uuid)
        return Case.from_row(row) if row else None


async def _assemble(info: Info, rows: list) -> list[Referral]:
    if not rows:
        return []
    db, ids = info.context.db, [r.id for r in rows]
    bodies = await bodies_by_id(info, list({r.body_id for r in rows}))
    history: dict[UUID, list[ReferralUpdate]] = defaultdict(list)
    for h in await reads.history(db, ids):
        history[h.referral_id].append(ReferralUpdate(kind=h.kind, kind_label=UPDATE_LABELS[h.kind], via=h.via, note=h.note,
                                                     at=h.at, actor=h.actor))
    sent: dict[UUID, list[ReferralDelivery]] = defaultdict(list)
    for d in await reads.deliveries(db, ids):
        sent[d.ref_id].append(ReferralDelivery(id=to_global_id("Delivery", d.id), topic=d.topic, title=d.title, kind=d.kind,
                                               status=d.status, attempts=d.attempts, last_error=d.last_error,
                                               created_at=d.created_at, sent_at=d.sent_at))
    return [Referral(id=to_global_id("Referral", r.id), case_id=to_global_id("Case", r.case_id), case_uuid=r.case_id,
                     project_id=to_global_id("Project", r.project_id), project_uuid=r.project_id,
                     status=Status(r.status), reason=r.reason, requested_action=r.requested_action, created_at=r.created_at,
                     created_by=r.created_by, acknowledged_at=r.acknowledged_at, answered_at=r.answered_at, outcome=r.outcome,
                     due_at=r.due_at, reminders_sent=r.reminders_sent, escalated_level=r.escalated_level,
                     body=bodies.get(r.body_id), history=history[r.id], deliveries=sent[r.id]) for r in rows]


async def referrals(info: Info, project_id: UUID | None, status: Status | None, first: int) -> list[Referral]:
    if not 1 <= first <= 200:
        raise invalid("数量 first 须在 1 到 200 之间。first must be between 1 and 200.", "first")
    rows = await reads.referrals(info.context.db, project_id, status.value if status else None, first)
    return await _assemble(info, rows)


async def case_referrals(info: Info, case_id: UUID) -> list[Referral]:
    return await _assemble(info, await reads.referrals_of_case(info.context.db, case_id))


async def referral(info: Info, referral_id: UUID) -> Referral | None:
    found = await _assemble(info, await reads.referral(info.context.db, referral_id))
    return found[0] if found else None
