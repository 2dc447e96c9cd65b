"""案例研判 Case reviews as the API shows them: one per case, the latest version."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.case import Case
from api.graphql.types.node import Node, to_global_id
from api.graphql.types.viewer import User
from domain.errors import invalid
from domain.reads import Row
from domain.reviews import reads
from domain.reviews.rules import ROOT_CAUSE_LABELS, VERDICT_LABELS

ReviewVerdict = strawberry.enum(Enum("ReviewVerdict", {k.upper(): k for k in VERDICT_LABELS}),
                                description="研判结论 典型 exemplary (to follow) or 警示 cautionary (to avoid)")
RootCause = strawberry.enum(Enum("RootCause", {k.upper(): k for k in ROOT_CAUSE_LABELS}), description="根因分类 Root-cause category")
MAX_LIST = 200


@strawberry.type(description="案例研判 HQ's review of a representative case: root cause, lessons, corrective actions.")
class CaseReview(Node):
    row: strawberry.Private[Row]
    verdict: ReviewVerdict
    root_cause_category: RootCause
    root_cause: str = strawberry.field(description="根因 What went wrong (or right), in words.")
    lessons: str = strawberry.field(description="经验教训 Lessons learned.")
    corrective_actions: str = strawberry.field(description="整改措施 What changes; required for a cautionary case.")
    tags: list[str]
    shared: bool = strawberry.field(description="全公司分享 A lesson meant for every project of the company: its staff read "
                                                "it in sharedLessons.")
    version: int = strawberry.field(description="1 when created; each revision adds one (every version is in the audit log).")
    reviewed_by: str = strawberry.field(description="user:<id> of the last reviewer")
    reviewed_at: datetime
    created_at: datetime
    case_id: strawberry.ID
    project_id: strawberry.ID

    @strawberry.field
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.row.verdict]

    @strawberry.field
    def root_cause_label(self) -> str:
        return ROOT_CAUSE_LABELS[self.row.root_cause_category]

    @strawberry.field(description="The reviewed case.")
    async def case(self, info: Info) -> Case | None:
        row = await info.context.loaders.case_by_id.load(self.row.case_id)
        return Case.from_row(row) if row else None

    @strawberry.field(description="The last reviewer.")
    async def reviewer(self, info: Info) -> User | None:
        kind, _, raw = self.row.reviewed_by.partition(":")
        if kind != "user":
            return None
        row = await info.context.loaders.user_by_id.load(UUID(raw))
        return User.from_row(row) if row else None

    @classmethod
    def from_row(cls, r: Row) -> CaseReview:
        return cls(id=to_global_id("CaseReview", r.id), row=r, verdict=ReviewVerdict(r.verdict),
                   root_cause_category=RootCause(r.root_cause_category),
                   root_cause=r.root_cause, lessons=r.lessons, corrective_actions=r.corrective_actions, tags=list(r.tags), shared=r.shared,
                   version=r.version, reviewed_by=r.reviewed_by, reviewed_at=r.reviewed_at, created_at=r.created_at,
                   case_id=to_global_id("Case", r.case_id), project_id=to_global_id("Project", r.project_id))


@strawberry.type(description="全公司分享 A lesson shared with every project of the company: the review's words, the case's "
                             "number and its project — nothing of the resident.")
class SharedLesson:
    row: strawberry.Private[Row]
    review_id: strawberry.ID
    case_number: str
    project_name: str = strawberry.field(description="The project of the reviewed case.")
    verdict: ReviewVerdict
    root_cause_category: RootCause
    root_cause: str
    lessons: str
    corrective_actions: str
    tags: list[str]
    version: int
    reviewed_at: datetime

    @strawberry.field
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.row.verdict]

    @strawberry.field
    def root_cause_label(self) -> str:
        return ROOT_CAUSE_LABELS[self.row.root_cause_category]

    @classmethod
    def from_row(cls, r: Row) -> SharedLesson:
        return cls(row=r, review_id=to_global_id("CaseReview", r.review_id), case_number=r.case_number, project_name=r.source_project,
                   verdict=ReviewVerdict(r.verdict), root_cause_category=RootCause(r.root_cause_category), root_cause=r.root_cause,
                   lessons=r.lessons, corrective_actions=r.corrective_actions, tags=list(r.tags), version=r.version,
                   reviewed_at=r.reviewed_at)


async def shared_lessons(info: Info, first: int) -> list[SharedLesson]:
    if not 1 <= first <= MAX_LIST:
        raise invalid(f"数量 first 须在 1 到 {MAX_LIST} 之间。first must be between 1 and {MAX_LIST}.", "first")
    company_wide = info.context.require().projects is None
    return [SharedLesson.from_row(r) for r in await reads.shared_lessons(info.context.db, company_wide, first)]


async def case_reviews(info: Info, project_id: UUID | None, verdict: str | None, shared: bool | None, first: int) -> list[CaseReview]:
    if not 1 <= first <= MAX_LIST:
        raise invalid(f"数量 first 须在 1 到 {MAX_LIST} 之间。first must be between 1 and {MAX_LIST}.", "first")
    rows = await reads.case_reviews(info.context.db, project_id, verdict, shared, first)
    return [CaseReview.from_row(r) for r in rows]


async def case_review(info: Info, case_id: UUID) -> CaseReview | None:
    row = await reads.case_review(info.context.db, case_id)
    return CaseReview.from_row(row) if row else None


async def review_node(info: Info, review_id: UUID) -> CaseReview | None:
    row = await reads.review(info.context.db, review_id)
    return CaseReview.from_row(row) if row else None
