"""交接班 Shift logs as staff read them: the log, its notes and open items (carried ones with how
many handovers they have crossed), who signed for the handover."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.actor import Actor, actor_of
from api.graphql.types.case import Case, load_case
from api.graphql.types.node import Node, to_global_id
from api.graphql.types.project import Department, Project
from api.graphql.types.viewer import User
from domain.handover import reads
from domain.handover.rules import FLAG_AFTER_CARRIES, KIND_LABELS, STATE_LABELS
from domain.reads import Row

LogEntryKind = strawberry.enum(Enum("LogEntryKind", {k.upper(): k for k in KIND_LABELS}), description="记事 note, 遗留事项 open item")
ShiftLogState = strawberry.enum(Enum("ShiftLogState", {k.upper(): k for k in STATE_LABELS}),
                                description="值班中 open → 已交班 handed over")


async def _user(info: Info, user_id: UUID | None) -> User | None:
    if user_id is None:
        return None
    row = await info.context.loaders.user_by_id.load(user_id)
    return User.from_row(row) if row else None


@strawberry.type(description="记事或遗留事项 One line of a shift log. A carried item is a copy of the one the last shift "
                             "left open; the original keeps its history in its own log.")
class ShiftLogEntry(Node):
    row: strawberry.Private[Row]
    at: datetime
    kind: LogEntryKind
    text: str
    done_at: datetime | None = strawberry.field(description="销项时间 When the item was closed.")
    carry_count: int = strawberry.field(description="How many handovers the item has crossed.")

    @strawberry.field
    def kind_label(self) -> str:
        return KIND_LABELS[self.row.kind]

    @strawberry.field(description=f"Carried {FLAG_AFTER_CARRIES} times or more: stuck, raised at the morning briefing.")
    def flagged(self) -> bool:
        return bool(self.row.carry_count >= FLAG_AFTER_CARRIES)

    @strawberry.field(description="The entry of the earlier log this one continues.")
    def carried_from_id(self) -> strawberry.ID | None:
        return to_global_id("ShiftLogEntry", self.row.carried_from) if self.row.carried_from else None

    @strawberry.field
    async def case(self, info: Info) -> Case | None:
        return await load_case(info, self.row.case_id)

    @strawberry.field
    async def author(self, info: Info) -> Actor:
        return await actor_of(info, self.row.author)

    @strawberry.field
    async def done_by(self, info: Info) -> Actor | None:
        return await actor_of(info, self.row.done_by) if self.row.done_by else None

    @classmethod
    def from_row(cls, r: Row) -> ShiftLogEntry:
        return cls(id=to_global_id("ShiftLogEntry", r.id), row=r, at=r.at, kind=LogEntryKind(r.kind), text=r.text,
                   done_at=r.done_at, carry_count=r.carry_count)


@strawberry.type(description="签收 Someone of the receiving shift signed for the handover.")
class HandoverAck:
    user_id: strawberry.Private[UUID]
    at: datetime

    @strawberry.field
    async def user(self, info: Info) -> User | None:
        return await _user(info, self.user_id)


@strawberry.type(description="值班日志 One shift's work log of a department (or of the service centre): notes, open "
                             "items, the summary at handover; it takes over the last shift's log and must be "
                             "acknowledged before it is written in.")
class ShiftLog(Node):
    row: strawberry.Private[Row]
    shift_start: datetime
    shift_end: datetime
    summary: str
    state: ShiftLogState
    handed_over_at: datetime | None

    @strawberry.field
    def state_label(self) -> str:
        return STATE_LABELS[self.row.state]

    @strawberry.field
    async def project(self, info: Info) -> Project | None:
        row = await info.context.loaders.project_by_id.load(self.row.project_id)
        return Project.from_row(row) if row else None

    @strawberry.field(description="The department; null for the service centre's log.")
    async def department(self, info: Info) -> Department | None:
        if self.row.department_id is None:
            return None
        row = await info.context.loaders.department_by_id.load(self.row.department_id)
        return Department.from_row(row) if row else None

    @strawberry.field(description="接班人 Who opened the log.")
    async def author(self, info: Info) -> User | None:
        return await _user(info, self.row.author_user_id)

    @strawberry.field(description="The log this one took over; null for a department's first.")
    def previous_log_id(self) -> strawberry.ID | None:
        return to_global_id("ShiftLog", self.row.previous_log_id) if self.row.previous_log_id else None

    @strawberry.field(description="The log that took this one over, once the next shift opened it.")
    def next_log_id(self) -> strawberry.ID | None:
        return to_global_id("ShiftLog", self.row.next_log_id) if self.row.next_log_id else None

    @strawberry.field(description="Notes and open items, oldest first (the carried ones first of all).")
    async def entries(self, info: Info) -> list[ShiftLogEntry]:
        return [ShiftLogEntry.from_row(r) for r in await info.context.loaders.entries_by_shift_log.load(self.row.id)]

    @strawberry.field(description="签收 Who of this shift has signed for the handover it took over.")
    async def acknowledgements(self, info: Info) -> list[HandoverAck]:
        return [HandoverAck(user_id=r.user_id, at=r.at) for r in await info.context.loaders.acks_by_shift_log.load(self.row.id)]

    @strawberry.field(description="The caller must sign for the handover before writing in this log.")
    async def needs_my_acknowledgement(self, info: Info) -> bool:
        if self.row.previous_log_id is None:
            return False
        me = info.context.require().id
        return not any(r.user_id == me for r in await info.context.loaders.acks_by_shift_log.load(self.row.id))

    @classmethod
    def from_row(cls, r: Row) -> ShiftLog:
        return cls(id=to_global_id("ShiftLog", r.id), row=r, shift_start=r.shift_start, shift_end=r.shift_end,
                   summary=r.summary, state=ShiftLogState(r.state), handed_over_at=r.handed_over_at)


async def shift_log(info: Info, log_id: UUID) -> ShiftLog | None:
    rows = await reads.logs_by_id(info.context.db, [log_id])
    return ShiftLog.from_row(rows[0]) if rows else None


async def shift_log_entry(info: Info, entry_id: UUID) -> ShiftLogEntry | None:
    row = await reads.entry(info.context.db, entry_id)
    return ShiftLogEntry.from_row(row) if row else None
