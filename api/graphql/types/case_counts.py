"""工作台 The queue's tab counts."""

from __future__ import annotations

from uuid import UUID

import strawberry

from api.context import Info
from domain.cases.queue import case_counts as read_counts


@strawberry.type(description="工作台 How many of the caller's visible cases each tab of the queue holds.")
class CaseCounts:
    to_commit: int = strawberry.field(description="待承诺 Received, no commitment yet.")
    to_dispatch: int = strawberry.field(description="待派单 Committed or reopened, not dispatched.")
    to_accept: int = strawberry.field(description="待接单 Dispatched, not accepted.")
    in_progress: int = strawberry.field(description="处理中 Accepted or in progress.")
    to_confirm: int = strawberry.field(description="待确认 Resolved, awaiting the resident's confirmation.")
    to_visit: int = strawberry.field(description="待回访 Confirmed, awaiting the return visit.")
    overdue: int = strawberry.field(description="超时 Overdue, as Case.overdue says.")
    decline_requested: int = strawberry.field(description="婉拒待批 A decline awaiting a supervisor.")
    referred: int = strawberry.field(description="转办中 With an outside body.")
    open: int = strawberry.field(description="全部未办结 Not yet resolved, declined or cancelled.")
    mine: int = strawberry.field(description="我的待办 Assigned to the caller and still to work on (as myQueue).")


async def case_counts(info: Info, project_id: UUID | None) -> CaseCounts:
    p = info.context.require()
    row = await read_counts(info.context.db, project_id, p.id if p.kind == "user" else None, p.projects)
    return CaseCounts(**row._mapping)
