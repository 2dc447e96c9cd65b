"""话务记录 Call records and their integrations as the API shows them (docs/centre-day.md §8). The
caller's number is only ever shown masked; an integration's secret never (only the mutation that
makes one answers it, once)."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.case import Case, load_case
from api.graphql.types.node import Node, from_global_id, to_global_id
from domain.calls import reads
from domain.reads import Row


@strawberry.type(description="话务对接 A call centre's telephony system: it tells us of each call after it ends, signed.")
class TelephonyIntegration(Node):
    integration_id: strawberry.Private[UUID]
    project_id: strawberry.ID
    name: str
    active: bool
    ring_seconds: int = strawberry.field(description="一声铃 One ring's length in seconds, for 三声接听.")
    last_used_at: datetime | None = strawberry.field(description="The last call it told us of.")
    created_at: datetime
    created_by: str

    @strawberry.field(description="The path it posts each ended call to (docs/webhooks.md).")
    def inbound_path(self) -> str:
        return f"/inbound/calls/{self.integration_id}"

    @classmethod
    def from_row(cls, r: Row) -> TelephonyIntegration:
        return cls(id=to_global_id("TelephonyIntegration", r.id), integration_id=r.id,
                   project_id=to_global_id("Project", r.project_id), name=r.name, active=r.active, ring_seconds=r.ring_seconds,
                   last_used_at=r.last_used_at, created_at=r.created_at, created_by=r.created_by)


async def telephony_integration(info: Info, integration_id: UUID) -> TelephonyIntegration | None:
    row = await reads.integration(info.context.db, integration_id)
    return TelephonyIntegration.from_row(row) if row else None


@strawberry.enum(description="呼入/呼出 Inbound or outbound.")
class CallDirection(Enum):
    IN = "in"
    OUT = "out"


@strawberry.type(description="通话记录 One call as the telephony system told it.")
class CallRecord(Node):
    project_id: strawberry.ID
    integration_id: strawberry.ID
    external_id: str = strawberry.field(description="The telephony system's own call id.")
    direction: CallDirection
    caller_phone_masked: str = strawberry.field(description="来电号码 The caller's number, masked (the number is not kept).")
    queued_at: datetime
    answered_at: datetime | None
    ended_at: datetime
    abandoned: bool = strawberry.field(description="放弃 Ended before anyone answered.")
    agent_id: strawberry.ID | None = strawberry.field(description="The User who answered, when the system named one.")
    case_id: strawberry.ID | None = strawberry.field(description="The Case the call was registered as, if any.")

    @strawberry.field(description="The Case the call was registered as, if any (null also when out of the caller's reach).")
    async def case(self, info: Info) -> Case | None:
        return await load_case(info, from_global_id(str(self.case_id), "Case")) if self.case_id else None

    @classmethod
    def from_row(cls, r: Row) -> CallRecord:
        return cls(id=to_global_id("CallRecord", r.id), project_id=to_global_id("Project", r.project_id),
                   integration_id=to_global_id("TelephonyIntegration", r.integration_id), external_id=r.external_id,
                   direction=CallDirection(r.direction), caller_phone_masked=r.caller_phone_masked, queued_at=r.queued_at,
                   answered_at=r.answered_at, ended_at=r.ended_at, abandoned=r.abandoned,
                   agent_id=to_global_id("User", r.agent_user_id) if r.agent_user_id else None,
                   case_id=to_global_id("Case", r.case_id) if r.case_id else None)


async def call_record(info: Info, call_id: UUID) -> CallRecord | None:
    row = await reads.call(info.context.db, call_id)
    return CallRecord.from_row(row) if row else None


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@strawberry.type(description="话务指标 Inbound call figures of one Beijing day, or of the whole span.")
class CallFigures:
    day: date | None = strawberry.field(description="The Beijing day; null on the span's totals.")
    offered: int = strawberry.field(description="呼入量 Inbound calls.")
    answered: int = strawberry.field(description="接通 Answered.")
    answered_within_three_rings: int = strawberry.field(description="三声内接听 Answered within 3 × ringSeconds.")
    abandoned: int = strawberry.field(description="放弃 Ended unanswered.")
    wait_seconds: float = strawberry.field(description="Seconds waited before answer, summed over the answered calls.")

    @strawberry.field(description="接通率 answered / offered; null with no calls.")
    def answer_rate(self) -> float | None:
        return _rate(self.answered, self.offered)

    @strawberry.field(description="三声接听率 answered within three rings / answered; null with none answered.")
    def three_ring_rate(self) -> float | None:
        return _rate(self.answered_within_three_rings, self.answered)

    @strawberry.field(description="放弃率 abandoned / offered; null with no calls.")
    def abandon_rate(self) -> float | None:
        return _rate(self.abandoned, self.offered)

    @strawberry.field(description="平均等待 Average seconds to answer of the answered calls; null with none answered.")
    def average_wait_seconds(self) -> float | None:
        return round(self.wait_seconds / self.answered, 1) if self.answered else None

    @classmethod
    def from_row(cls, r: Row) -> CallFigures:
        return cls(day=r.day, offered=r.offered, answered=r.answered, answered_within_three_rings=r.answered_3_rings,
                   abandoned=r.abandoned, wait_seconds=float(r.wait_seconds))

    @classmethod
    def total(cls, days: list[CallFigures]) -> CallFigures:
        return cls(day=None, offered=sum(d.offered for d in days), answered=sum(d.answered for d in days),
                   answered_within_three_rings=sum(d.answered_within_three_rings for d in days),
                   abandoned=sum(d.abandoned for d in days), wait_seconds=sum(d.wait_seconds for d in days))


@strawberry.type(description="话务指标 A project's inbound call figures over some Beijing days.")
class CallFigureReport:
    total: CallFigures
    days: list[CallFigures] = strawberry.field(description="Days with inbound calls, oldest first.")
