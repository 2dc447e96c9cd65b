from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from api.graphql.types.review import CaseReview, ReviewVerdict, RootCause, case_review
from domain.reviews import service
from domain.reviews.commands import ReviewCase
from domain.reviews.rules import Review
from tenants.roles import Permission


@strawberry.input(description="案例研判 HQ's reading of a representative case.")
class ReviewCaseInput:
    case_id: strawberry.ID
    verdict: ReviewVerdict
    root_cause_category: RootCause
    root_cause: str = strawberry.field(description="1–2,000 characters")
    lessons: str = strawberry.field(description="1–2,000 characters")
    corrective_actions: str = strawberry.field(default="", description="Up to 2,000 characters; required when cautionary.")
    tags: list[str] = strawberry.field(default_factory=list, description="At most 10, each at most 20 characters.")
    shared: bool = strawberry.field(default=False, description="A lesson meant for every project of the company.")
    expected_version: int | None = strawberry.field(default=None, description="Refuse (CONFLICT) if the review has moved on.")


@strawberry.type
class CaseReviewPayload:
    review: CaseReview | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.REVIEW_MANAGE)],
                     description="案例研判 Review a case, or revise its review (the version goes up; every version is audited).")
@user_errors(CaseReviewPayload)
async def review_case(info: Info, input: ReviewCaseInput, idempotency_key: IdempotencyKey = None) -> CaseReviewPayload:
    review = Review(verdict=input.verdict.value, root_cause_category=input.root_cause_category.value, root_cause=input.root_cause,
                    lessons=input.lessons, corrective_actions=input.corrective_actions, tags=tuple(input.tags), shared=input.shared)
    cmd = ReviewCase(case_id=from_global_id(input.case_id, "Case", "caseId"), review=review,
                     expected_version=input.expected_version, idempotency_key=idempotency_key)
    case_id = await service.review_case(cmd, unit_of_work(info))
    return CaseReviewPayload(review=await case_review(info, case_id))
