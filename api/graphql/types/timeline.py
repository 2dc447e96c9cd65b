"""A case's history: its audit rows and its escalations, oldest first, each with who did it."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry
from strawberry.scalars import JSON

from api.context import Info
from api.graphql.types.actor import Actor, actor_of
from api.graphql.types.case import Case, load_case
from api.graphql.types.sla import LEVEL_LABELS, REASON_LABELS, Escalation
from domain.cases.reads import TIMELINE


@strawberry.type(description="One step of a case's history: a transition from the audit log, or an escalation.")
class TimelineEntry:
    actor_label: strawberry.Private[str]
    earlier_case_id: strawberry.Private[UUID | None]
    at: datetime
    action: str = strawberry.field(description="e.g. case.dispatched; case.escalated for a step up the ladder")
    from_state: str | None
    to_state: str | None
    note: str | None
    data: JSON
    escalation: Escalation | None = strawberry.field(description="升级 The escalation, for a case.escalated entry.")

    @strawberry.field(description="user:<id>, api_key:<id> or system", deprecation_reason="Use actedBy.")
    def actor(self) -> str:
        return self.actor_label

    @strawberry.field(description="行为人 Who did it: a person, an API key, or the system (escalations).")
    async def acted_by(self, info: Info) -> Actor:
        return await actor_of(info, self.actor_label)

    @strawberry.field(description="前案 The earlier case, for a case.linked_repeat entry.")
    async def earlier_case(self, info: Info) -> Case | None:
        return await load_case(info, self.earlier_case_id)


def _earlier(data: dict) -> UUID | None:
    try:
        return UUID(data["earlier_case_id"]) if data.get("earlier_case_id") else None
    except (ValueError, TypeError):
        return None


async def case_timeline(info: Info, case_id: UUID) -> list[TimelineEntry]:
    entries = [
        TimelineEntry(at=r.at, action=r.action, from_state=r.from_state, to_state=r.to_state, actor_label=r.actor, note=r.note,
                      data=r.data, escalation=None, earlier_case_id=_earlier(r.data))
        for r in await info.context.db.all(TIMELINE, {"org": info.context.db.org_id, "c": case_id})
    ]
    # An escalation at intake fires at the time the request was taken, which an entry made later
    # (receivedAt) puts before its own registration: none comes before the case's first entry.
    floor = entries[0].at if entries else None
    for r in await info.context.loaders.escalations_by_case.load(case_id):
        entries.append(TimelineEntry(
            at=r.fired_at, action="case.escalated", from_state=None, to_state=None, actor_label="system",
            note=f"{LEVEL_LABELS[r.level]}：{REASON_LABELS.get(r.reason, r.reason)}", escalation=Escalation.from_row(r),
            data={"level": r.level, "reason": r.reason, "target": r.target, "round": r.round}, earlier_case_id=None))
    # Stable: a transition stays before the escalation it caused at the same moment.
    return sorted(entries, key=lambda e: max(e.at, floor) if floor is not None else e.at)
