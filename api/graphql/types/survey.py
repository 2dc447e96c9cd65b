"""满意度调查 Satisfaction surveys as staff see them (docs/resident-services.md §7, §9.2): the
company's questionnaires, a project's campaigns (survey:read on the project), a campaign's results.
A list of questionnaires is three statements whatever its length."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from enum import Enum
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.node import Node, to_global_id
from domain.errors import not_found
from domain.reads import Row
from domain.surveys import reads
from domain.surveys.model import CHANNEL_LABELS, DIMENSIONS, KIND_LABELS, SAMPLE_MODES, STATE_LABELS
from tenants.roles import Permission

SurveyQuestionKind = strawberry.enum(Enum("SurveyQuestionKind", {k.upper(): k for k in KIND_LABELS}),
                                     description="评分 rating 1–5, 单选 single, 多选 multiple, 文字 text")
SurveyDimension = strawberry.enum(Enum("SurveyDimension", {k.upper(): k for k in DIMENSIONS}),
                                  description="客服, 工程, 保洁, 安保, 绿化, 总体")
SurveyCampaignState = strawberry.enum(Enum("SurveyCampaignState", {k.upper(): k for k in STATE_LABELS}),
                                      description="草稿 → 进行中 → 已结束; 已取消")
SurveySampleMode = strawberry.enum(Enum("SurveySampleMode", {k.upper(): k for k in SAMPLE_MODES}),
                                   description="全部 every eligible flat, 比例 a percentage, 户数 a number of flats")
SurveyEntryChannel = strawberry.enum(Enum("SurveyEntryChannel", {k.upper(): k for k in CHANNEL_LABELS if k != "app"}),
                                     description="电话 phone, 上门 visit, 纸质 paper")


def score_text(value: Decimal | None) -> str | None:
    """Scores travel as text with two decimals ("87.50"), exact as stored."""
    return f"{value:.2f}" if value is not None else None


@strawberry.type(description="选项 An option of a choice question, with the score it gives (0–100).")
class SurveyOption:
    id: strawberry.ID
    position: int
    label: str
    score: int


@strawberry.type(description="题目 A question; a weight above zero makes it count in the score.")
class SurveyQuestion:
    id: strawberry.ID
    position: int
    kind: SurveyQuestionKind
    kind_label: str
    text: str
    required: bool
    dimension: SurveyDimension | None
    weight: int
    options: list[SurveyOption]


@strawberry.type(description="问卷 A questionnaire of the company; its questions never change once made.")
class SurveyQuestionnaire(Node):
    title: str
    intro: str
    active: bool
    used_at: datetime | None = strawberry.field(description="First used by a campaign; null: not used yet.")
    created_by: str
    created_at: datetime
    questions: list[SurveyQuestion]


async def questionnaire_list(info: Info, rows: list[Row]) -> list[SurveyQuestionnaire]:
    db = info.context.db
    questions: dict[UUID, list[Row]] = defaultdict(list)
    options: dict[UUID, list[SurveyOption]] = defaultdict(list)
    if rows:
        question_rows = await reads.questions(db, [r.id for r in rows])
        for q in question_rows:
            questions[q.questionnaire_id].append(q)
        if question_rows:
            for o in await reads.options(db, [q.id for q in question_rows]):
                options[o.question_id].append(SurveyOption(id=to_global_id("SurveyOption", o.id), position=o.position,
                                                           label=o.label, score=o.score))
    return [SurveyQuestionnaire(
        id=to_global_id("SurveyQuestionnaire", r.id), title=r.title, intro=r.intro, active=r.active, used_at=r.used_at,
        created_by=r.created_by, created_at=r.created_at,
        questions=[SurveyQuestion(id=to_global_id("SurveyQuestion", q.id), position=q.position, kind=SurveyQuestionKind(q.kind),
                                  kind_label=KIND_LABELS[q.kind], text=q.text, required=q.required,
                                  dimension=SurveyDimension(q.dimension) if q.dimension else None, weight=q.weight,
                                  options=options.get(q.id, []))
                   for q in questions.get(r.id, [])]) for r in rows]


async def questionnaire(info: Info, questionnaire_id: UUID) -> SurveyQuestionnaire | None:
    found = await questionnaire_list(info, await reads.questionnaires_by_id(info.context.db, [questionnaire_id]))
    return found[0] if found else None


@strawberry.type(description="调查活动 A campaign of one project: a questionnaire put to a sample of its flats.")
class SurveyCampaign(Node):
    row: strawberry.Private[Row]
    title: str
    state: SurveyCampaignState
    opens_at: datetime
    closes_at: datetime
    sample_mode: SurveySampleMode
    sample_value: int = strawberry.field(description="PERCENT: 1–100; COUNT: the number of flats; ALL: 0.")
    seed: str = strawberry.field(description="随机种子 The sample's seed: the same seed over the same flats draws the same sample.")
    cooldown_days: int = strawberry.field(description="免打扰 Flats sampled by another campaign of the project within these "
                                                      "days are left out.")
    sample_size: int | None = strawberry.field(description="样本户数, fixed at opening; null before.")
    answered: int = strawberry.field(description="已答户数 Responses so far.")
    opened_at: datetime | None
    closed_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    created_by: str
    created_at: datetime
    questionnaire_id: strawberry.ID
    questionnaire_title: str

    @strawberry.field
    def state_label(self) -> str:
        return STATE_LABELS[self.row.state]

    @strawberry.field(description="得分 0–100, two decimals, stored at closing; null before, or with no scored answer.")
    def score(self) -> str | None:
        return score_text(self.row.score)

    @classmethod
    def from_row(cls, r: Row) -> SurveyCampaign:
        return cls(id=to_global_id("SurveyCampaign", r.id), row=r, title=r.title, state=SurveyCampaignState(r.state),
                   opens_at=r.opens_at, closes_at=r.closes_at, sample_mode=SurveySampleMode(r.sample_mode),
                   sample_value=r.sample_value, seed=r.seed, cooldown_days=r.cooldown_days, sample_size=r.sample_size,
                   answered=r.answered, opened_at=r.opened_at, closed_at=r.closed_at, cancelled_at=r.cancelled_at,
                   cancel_reason=r.cancel_reason, created_by=r.created_by, created_at=r.created_at,
                   questionnaire_id=to_global_id("SurveyQuestionnaire", r.questionnaire_id),
                   questionnaire_title=r.questionnaire_title)


async def campaign(info: Info, campaign_id: UUID) -> SurveyCampaign | None:
    """The campaign, or None when it is not visible or the caller may not read the project's surveys."""
    row = await reads.campaign(info.context.db, campaign_id)
    if row is None or not info.context.require().can(Permission.SURVEY_READ, row.project_id):
        return None
    return SurveyCampaign.from_row(row)


async def readable_campaign(info: Info, campaign_id: UUID) -> Row:
    row = await reads.campaign(info.context.db, campaign_id)
    if row is None or not info.context.require().can(Permission.SURVEY_READ, row.project_id):
        raise not_found("The survey campaign", "campaignId", zh="调查活动")
    return row
