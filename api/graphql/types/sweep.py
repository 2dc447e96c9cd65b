"""拉网式排查 HQ dragnet sweeps as read: the checklist, the due time, and the completion board —
each project pending, under way or submitted, items checked, hazards found by grade, late."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.node import Node, to_global_id
from domain.hazards.rules import CATEGORY_LABELS
from domain.reads import Row
from domain.sweeps import reads
from domain.sweeps.rules import PROJECT_STATE_LABELS, RESULT_LABELS, STATE_LABELS

SweepState = strawberry.enum(Enum("SweepState", {k.upper(): k for k in STATE_LABELS}),
                             description="草稿 draft → 进行中 launched → 已结束 closed")
SweepProjectState = strawberry.enum(Enum("SweepProjectState", {k.upper(): k for k in PROJECT_STATE_LABELS}),
                                    description="未开始 pending → 排查中 in_progress → 已提交 submitted")
SweepResult = strawberry.enum(Enum("SweepResult", {k.upper(): k for k in RESULT_LABELS}),
                              description="正常 ok, 有隐患 hazard, 不适用 na")


@strawberry.type(description="排查项 One item of a sweep's checklist.")
class SweepItemType:
    code: str
    text: str
    category: str = strawberry.field(description="The hazard category it looks for (fire, gas, …).")
    category_label: str


@strawberry.type(description="One project's part of a sweep, as headquarters' completion board shows it.")
class SweepProjectProgress:
    row: strawberry.Private[Row]
    project_name: str
    state: SweepProjectState
    items_checked: int
    submitted_at: datetime | None
    late: bool = strawberry.field(description="Not submitted by the due time (or submitted after it).")

    @strawberry.field
    def project_id(self) -> strawberry.ID:
        return to_global_id("Project", self.row.project_id)

    @strawberry.field(description="Hazards found, by grade: major, significant, general, low.")
    def hazards_major(self) -> int:
        return int(self.row.hazards_by_grade.get("major", 0))

    @strawberry.field
    def hazards_significant(self) -> int:
        return int(self.row.hazards_by_grade.get("significant", 0))

    @strawberry.field
    def hazards_general(self) -> int:
        return int(self.row.hazards_by_grade.get("general", 0))

    @strawberry.field
    def hazards_low(self) -> int:
        return int(self.row.hazards_by_grade.get("low", 0))

    @classmethod
    def from_row(cls, r: Row) -> SweepProjectProgress:
        return cls(row=r, project_name=r.project_name, state=SweepProjectState(r.state), items_checked=r.items_checked,
                   submitted_at=r.submitted_at, late=r.late)


@strawberry.type(description="排查行动 Headquarters' dragnet sweep: one checklist, every project (or those named), one due time.")
class Sweep(Node):
    row: strawberry.Private[Row]
    title: str
    reason: str
    due_at: datetime
    state: SweepState
    launched_at: datetime | None
    closed_at: datetime | None
    closed_by: str | None
    close_note: str = strawberry.field(description="结束说明 Why headquarters closed it (may be empty).")
    created_at: datetime

    @strawberry.field
    def checklist(self) -> list[SweepItemType]:
        return [SweepItemType(code=i["code"], text=i["text"], category=i["category"], category_label=CATEGORY_LABELS[i["category"]])
                for i in self.row.checklist]

    @strawberry.field(description="The projects named; null for every project.")
    def project_ids(self) -> list[strawberry.ID] | None:
        return [to_global_id("Project", p) for p in self.row.project_ids] if self.row.project_ids is not None else None

    @strawberry.field(description="完成情况 Each project's part you can see (a project sees its own), by project code.")
    async def progress(self, info: Info) -> list[SweepProjectProgress]:
        return [SweepProjectProgress.from_row(r) for r in await reads.progress(info.context.db, self.row.id)]

    @classmethod
    def from_row(cls, r: Row) -> Sweep:
        return cls(id=to_global_id("Sweep", r.id), row=r, title=r.title, reason=r.reason, due_at=r.due_at,
                   state=SweepState(r.state), launched_at=r.launched_at, closed_at=r.closed_at, closed_by=r.closed_by,
                   close_note=r.close_note, created_at=r.created_at)


async def sweep(info: Info, sweep_id: UUID) -> Sweep | None:
    row = await reads.sweep(info.context.db, sweep_id)
    return Sweep.from_row(row) if row else None
