"""决策反馈 Decision feedback as headquarters and the projects read it: the month's candidates, the
items with their steps and cases, and the counts per project. Row-level security decides which
projects a caller sees; a list is three statements whatever its length (items, steps, cases)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.actor import Actor, actor_of
from api.graphql.types.node import Node, to_global_id
from domain.errors import invalid
from domain.feedback import model, reads
from domain.feedback.model import STATUS_LABELS, Status
from domain.feedback.repository import candidates as candidate_rows
from domain.reads import Row
from domain.sla.calendar import CHINA


@strawberry.enum(name="DecisionFeedbackStatus", description="决策反馈状态 reported → acknowledged → corrected → implemented")
class DecisionFeedbackStatus(Enum):
    REPORTED = "reported"
    ACKNOWLEDGED = "acknowledged"
    CORRECTED = "corrected"
    IMPLEMENTED = "implemented"


@strawberry.type(description="案件类别 A case category: its code and label.")
class DecisionFeedbackCategory:
    code: str
    label: str


@strawberry.type(description="外部单位 The outside body whose remit the problem is.")
class DecisionFeedbackBody:
    id: strawberry.ID
    name: str
    kind: str = strawberry.field(description="street_office, residents_committee, police_station, law_enforcement, "
                                             "housing_bureau, utility or other")


def _category(r: Row) -> DecisionFeedbackCategory:
    return DecisionFeedbackCategory(code=r.category_code, label=r.category_name)


def _body(r: Row) -> DecisionFeedbackBody | None:
    if r.body_id is None:
        return None
    return DecisionFeedbackBody(id=to_global_id("OutsideBody", r.body_id), name=r.body_name, kind=r.body_kind)


@strawberry.type(description="待上报 A recurring out-of-remit problem of a project in a month: what could be reported.")
class DecisionFeedbackCandidate:
    project_id: strawberry.ID
    project_name: str
    category: DecisionFeedbackCategory
    body: DecisionFeedbackBody | None = strawberry.field(description="Null: out of remit, but no body named (declined cases).")
    period: date = strawberry.field(description="The first day of the Beijing month the cases were received in.")
    case_count: int
    referred_count: int = strawberry.field(description="Cases referred to the body (转办), not withdrawn.")
    returned_count: int = strawberry.field(description="12345 orders returned as not within our remit (退回).")
    declined_count: int = strawberry.field(description="Cases declined with a written reply (不予受理).")
    sample_case_numbers: list[str] = strawberry.field(description=f"Up to {model.SAMPLE_CASES} case numbers, in order.")
    item_id: strawberry.ID | None = strawberry.field(description="The item already reported for it, if one.")

    @strawberry.field(description="Whether an item exists for it this month.")
    def already_reported(self) -> bool:
        return self.item_id is not None

    @strawberry.field(description=f"Whether it may be reported now: at least {model.DEFAULT_MIN_CASES} cases, none reported yet.")
    def reportable(self) -> bool:
        return self.item_id is None and self.case_count >= model.DEFAULT_MIN_CASES


@strawberry.type(description="进展 One step of an item, with its evidence.")
class DecisionFeedbackStep:
    status: DecisionFeedbackStatus
    evidence: str
    attachments: list[str]
    actor: str = strawberry.field(description="user:<id> or api_key:<id>", deprecation_reason="Use actedBy.")
    at: datetime

    @strawberry.field(description="行为人 Who recorded the step.")
    async def acted_by(self, info: Info) -> Actor:
        return await actor_of(info, self.actor)

    @strawberry.field
    def status_label(self) -> str:
        return STATUS_LABELS[Status(self.status.value)]


@strawberry.type(description="决策反馈 A recurring out-of-remit problem reported to a government department, and how far it got.")
class DecisionFeedbackItem(Node):
    project_id: strawberry.ID
    project_name: str
    category: DecisionFeedbackCategory
    body: DecisionFeedbackBody | None
    period: date
    title: str
    summary: str
    status: DecisionFeedbackStatus
    case_count: int
    case_ids: list[strawberry.ID]
    case_numbers: list[str]
    reported_at: datetime
    reported_by: str = strawberry.field(description="user:<id> or api_key:<id>", deprecation_reason="Use reporter.")
    acknowledged_at: datetime | None
    corrected_at: datetime | None
    implemented_at: datetime | None
    age_days: int = strawberry.field(description="Whole days open: from the report to its implementation, or to now.")
    steps: list[DecisionFeedbackStep]

    @strawberry.field
    def status_label(self) -> str:
        return STATUS_LABELS[Status(self.status.value)]

    @strawberry.field(description="上报人 Who reported it.")
    async def reporter(self, info: Info) -> Actor:
        return await actor_of(info, self.reported_by)

    @strawberry.field(description="The one status it may move to next; null once implemented.")
    def next_status(self) -> DecisionFeedbackStatus | None:
        following = model.next_status(Status(self.status.value))
        return DecisionFeedbackStatus(following.value) if following else None


@strawberry.type(description="Items by status, and the age of the oldest one not yet implemented.")
class DecisionFeedbackCounts:
    reported: int
    acknowledged: int
    corrected: int
    implemented: int
    open: int = strawberry.field(description="Not yet implemented.")
    total: int
    oldest_open_age_days: int | None = strawberry.field(description="Null: nothing open.")


@strawberry.type
class DecisionFeedbackProjectCounts:
    project_id: strawberry.ID
    project_name: str
    counts: DecisionFeedbackCounts


@strawberry.type(description="总部视图 Decision feedback per project the caller sees, and in total.")
class DecisionFeedbackSummary:
    projects: list[DecisionFeedbackProjectCounts]
    total: DecisionFeedbackCounts


async def feedback_candidates(info: Info, project_id: UUID | None, month: date | None, min_cases: int) -> list[DecisionFeedbackCandidate]:
    today = datetime.now(CHINA).date()
    period = model.period_of(month or today, today)
    rows = await candidate_rows(info.context.db, project_id, period, model.min_cases(min_cases))
    return [DecisionFeedbackCandidate(
        project_id=to_global_id("Project", r.project_id), project_name=r.project_name, category=_category(r), body=_body(r),
        period=period, case_count=r.case_count, referred_count=r.referred, returned_count=r.returned, declined_count=r.declined,
        sample_case_numbers=list(r.sample), item_id=to_global_id("DecisionFeedbackItem", r.item_id) if r.item_id else None)
        for r in rows]


@dataclass
class _Linked:
    steps: dict[UUID, list[DecisionFeedbackStep]]
    cases: dict[UUID, list[Row]]


async def _linked(info: Info, ids: list[UUID]) -> _Linked:
    linked = _Linked(defaultdict(list), defaultdict(list))
    if ids:
        for s in await reads.steps(info.context.db, ids):
            linked.steps[s.item_id].append(DecisionFeedbackStep(status=DecisionFeedbackStatus(s.status), evidence=s.evidence,
                                                                attachments=list(s.attachments), actor=s.actor, at=s.at))
        for c in await reads.cases(info.context.db, ids):
            linked.cases[c.item_id].append(c)
    return linked


async def _items(info: Info, rows: list[Row]) -> list[DecisionFeedbackItem]:
    linked, now = await _linked(info, [r.id for r in rows]), datetime.now(UTC)
    return [DecisionFeedbackItem(
        id=to_global_id("DecisionFeedbackItem", r.id), project_id=to_global_id("Project", r.project_id), project_name=r.project_name,
        category=_category(r), body=_body(r), period=r.period, title=r.title, summary=r.summary,
        status=DecisionFeedbackStatus(r.status), case_count=r.case_count,
        case_ids=[to_global_id("Case", c.id) for c in linked.cases[r.id]], case_numbers=[c.number for c in linked.cases[r.id]],
        reported_at=r.reported_at, reported_by=r.reported_by, acknowledged_at=r.acknowledged_at, corrected_at=r.corrected_at,
        implemented_at=r.implemented_at, age_days=model.age_days(r.reported_at, r.implemented_at, now), steps=linked.steps[r.id])
        for r in rows]


async def decision_feedback_items(info: Info, project_id: UUID | None, status: DecisionFeedbackStatus | None,
                                  first: int) -> list[DecisionFeedbackItem]:
    if not 1 <= first <= 200:
        raise invalid("数量 first 须在 1 到 200 之间。first must be between 1 and 200.", "first")
    rows = await reads.items(info.context.db, project_id, status.value if status else None, first)
    return await _items(info, rows)


async def decision_feedback_item(info: Info, item_id: UUID) -> DecisionFeedbackItem | None:
    found = await _items(info, await reads.item(info.context.db, item_id))
    return found[0] if found else None


def _counts(rows: list[Row], now: datetime) -> DecisionFeedbackCounts:
    oldest = min((r.oldest_open for r in rows if r.oldest_open is not None), default=None)
    by_status = {s.value: sum(getattr(r, s.value) for r in rows) for s in Status}
    return DecisionFeedbackCounts(**by_status, open=sum(by_status.values()) - by_status["implemented"], total=sum(by_status.values()),
                                  oldest_open_age_days=model.age_days(oldest, None, now) if oldest else None)


async def decision_feedback_summary(info: Info) -> DecisionFeedbackSummary:
    rows, now = await reads.summary(info.context.db), datetime.now(UTC)
    return DecisionFeedbackSummary(
        projects=[DecisionFeedbackProjectCounts(project_id=to_global_id("Project", r.project_id), project_name=r.project_name,
                                                counts=_counts([r], now)) for r in rows],
        total=_counts(rows, now))
