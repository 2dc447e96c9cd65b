"""Questionnaires and campaigns as things that change (docs/resident-services.md §7): each step
checks its rule and collects its audit entry, written by the unit of work at commit. A
questionnaire's questions never change once made (a new version is a new questionnaire, as
inspection checklists); a campaign goes draft → open → closed, or is cancelled before closing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from domain.errors import DomainError, ErrorCode, ErrorReason, invalid
from domain.surveys.scoring import KINDS, SCORED
from domain.unit_of_work import Aggregate, AuditEntry

DIMENSIONS = {"customer_service": "客服 Customer service", "engineering": "工程 Engineering", "cleaning": "保洁 Cleaning",
              "security": "安保 Security", "greening": "绿化 Greening", "overall": "总体 Overall"}
KIND_LABELS = {"rating": "评分 Rating (1–5)", "single": "单选 Single choice", "multiple": "多选 Multiple choice",
               "text": "文字 Text"}
STATE_LABELS = {"draft": "草稿 Draft", "open": "进行中 Open", "closed": "已结束 Closed", "cancelled": "已取消 Cancelled"}
CHANNEL_LABELS = {"app": "业主App Owner app", "phone": "电话 Phone", "visit": "上门 Visit", "paper": "纸质 Paper"}
SAMPLE_MODES = ("all", "percent", "count")
MAX_QUESTIONS, MAX_OPTIONS, MAX_COUNT = 50, 20, 100_000


@dataclass(frozen=True, slots=True)
class OptionSpec:
    label: str
    score: int = 0


@dataclass(frozen=True, slots=True)
class QuestionSpec:
    kind: str
    text: str
    required: bool = True
    dimension: str | None = None
    weight: int = 0
    options: tuple[OptionSpec, ...] = ()


def _question(n: int, q: QuestionSpec) -> QuestionSpec:
    text = q.text.strip()
    if q.kind not in KINDS:
        raise invalid(f"第 {n} 题：题型须为 rating、single、multiple 或 text。Question {n}: unknown kind.", "questions")
    if not 1 <= len(text) <= 200:
        raise invalid(f"第 {n} 题：题目须为 1 到 200 个字符。Question {n}: the text must have 1 to 200 characters.", "questions")
    if q.dimension is not None and q.dimension not in DIMENSIONS:
        raise invalid(f"第 {n} 题：维度须为 {', '.join(DIMENSIONS)} 之一。Question {n}: unknown dimension.", "questions")
    if not 0 <= q.weight <= 100:
        raise invalid(f"第 {n} 题：权重须为 0 到 100。Question {n}: weight must be 0 to 100.", "questions")
    if q.weight and q.kind not in SCORED:
        raise invalid(f"第 {n} 题：多选题和文字题不计分，权重须为 0。Question {n}: multiple choice and text are not scored: weight 0.",
                      "questions")
    options = tuple(OptionSpec(o.label.strip(), o.score) for o in q.options)
    if q.kind in ("single", "multiple"):
        if not 2 <= len(options) <= MAX_OPTIONS:
            raise invalid(f"第 {n} 题：选择题须有 2 到 {MAX_OPTIONS} 个选项。Question {n}: a choice needs 2 to {MAX_OPTIONS} options.",
                          "questions")
        for o in options:
            if not 1 <= len(o.label) <= 50 or not 0 <= o.score <= 100:
                raise invalid(f"第 {n} 题：选项须为 1 到 50 个字符，分值 0 到 100。"
                              f"Question {n}: an option has 1 to 50 characters and a score of 0 to 100.", "questions")
        if len({o.label for o in options}) != len(options):
            raise invalid(f"第 {n} 题：有两个选项相同。Question {n}: two options are the same.", "questions")
    elif options:
        raise invalid(f"第 {n} 题：评分题和文字题没有选项。Question {n}: ratings and texts take no options.", "questions")
    return QuestionSpec(q.kind, text, q.required, q.dimension, q.weight, options)


def check_questionnaire(title: str, intro: str, questions: tuple[QuestionSpec, ...]) -> tuple[str, str, tuple[QuestionSpec, ...]]:
    title, intro = title.strip(), intro.strip()
    if not 1 <= len(title) <= 100:
        raise invalid("标题须为 1 到 100 个字符。title must have 1 to 100 characters.", "title")
    if len(intro) > 2000:
        raise invalid("说明最多 2,000 个字符。intro may have at most 2,000 characters.", "intro")
    if not 1 <= len(questions) <= MAX_QUESTIONS:
        raise invalid(f"问卷须有 1 到 {MAX_QUESTIONS} 题。A questionnaire has 1 to {MAX_QUESTIONS} questions.", "questions")
    return title, intro, tuple(_question(n, q) for n, q in enumerate(questions, 1))


@dataclass(kw_only=True)
class Questionnaire(Aggregate):
    id: UUID
    title: str
    active: bool = True

    @classmethod
    def create(cls, title: str, intro: str, questions: tuple[QuestionSpec, ...], *, by: str) -> tuple[Questionnaire, str,
                                                                                                   tuple[QuestionSpec, ...]]:
        title, intro, clean = check_questionnaire(title, intro, questions)
        made = cls(id=uuid4(), title=title)
        made._record("survey.questionnaire_created", by, {"title": title, "questions": len(clean)})
        return made, intro, clean

    def switch(self, active: bool, *, by: str) -> None:
        self.active = active
        self._record("survey.questionnaire_switched", by, {"active": active})

    def _record(self, action: str, by: str, data: dict[str, Any]) -> None:
        self.audit.append(AuditEntry(action=action, entity="survey_questionnaire", entity_id=self.id, data=data, actor=by))


@dataclass(frozen=True, slots=True)
class CampaignSpec:
    title: str
    opens_at: datetime
    closes_at: datetime
    sample_mode: str
    sample_value: int = 0
    cooldown_days: int = 90
    seed: str | None = None

    def check(self) -> CampaignSpec:
        title = self.title.strip()
        if not 1 <= len(title) <= 100:
            raise invalid("标题须为 1 到 100 个字符。title must have 1 to 100 characters.", "title")
        if self.closes_at <= self.opens_at:
            raise invalid("结束时间须晚于开始时间。closesAt must be after opensAt.", "closesAt")
        if self.sample_mode not in SAMPLE_MODES:
            raise invalid("抽样方式须为 all、percent 或 count。sample.mode must be all, percent or count.", "sample")
        if self.sample_mode == "percent" and not 1 <= self.sample_value <= 100:
            raise invalid("抽样比例须为 1 到 100。A percentage sample takes a value of 1 to 100.", "sample")
        if self.sample_mode == "count" and not 1 <= self.sample_value <= MAX_COUNT:
            raise invalid(f"抽样户数须为 1 到 {MAX_COUNT}。A count sample takes a value of 1 to {MAX_COUNT}.", "sample")
        if not 0 <= self.cooldown_days <= 730:
            raise invalid("免打扰天数须为 0 到 730。cooldownDays must be 0 to 730.", "cooldownDays")
        seed = (self.seed or uuid4().hex[:12]).strip()
        if not 1 <= len(seed) <= 64:
            raise invalid("随机种子须为 1 到 64 个字符。seed must have 1 to 64 characters.", "seed")
        return CampaignSpec(title, self.opens_at, self.closes_at, self.sample_mode,
                            self.sample_value if self.sample_mode != "all" else 0, self.cooldown_days, seed)


def _state_error(reason: ErrorReason, message: str) -> DomainError:
    return DomainError(ErrorCode.INVALID_STATE, message, "campaignId", reason=reason)


@dataclass(kw_only=True)
class Campaign(Aggregate):
    id: UUID
    project_id: UUID
    questionnaire_id: UUID
    state: str
    closes_at: datetime
    sample_size: int | None = None
    responses: int | None = None
    score: Decimal | None = None
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str | None = None

    def _audit(self, action: str, before: str | None, *, note: str | None = None, data: dict[str, Any] | None = None) -> None:
        self.audit.append(AuditEntry(action=action, entity="survey_campaign", entity_id=self.id, project_id=self.project_id,
                                     from_state=before, to_state=self.state, note=note, data=data))

    def created(self, spec: CampaignSpec) -> None:
        self._audit("survey.campaign_created", None, data={
            "questionnaire_id": str(self.questionnaire_id), "title": spec.title, "sample_mode": spec.sample_mode,
            "sample_value": spec.sample_value, "cooldown_days": spec.cooldown_days, "seed": spec.seed})

    def open(self, *, now: datetime) -> None:
        if self.state != "draft":
            raise _state_error(ErrorReason.CAMPAIGN_NOT_DRAFT, "只有草稿状态的调查活动可以开始。Only a draft campaign opens.")
        if self.closes_at <= now:
            raise invalid("结束时间已过，无法开始。closesAt has passed: the campaign cannot open.", "campaignId")
        self.state, self.opened_at = "open", now

    def sampled(self, size: int) -> None:
        self.sample_size = size
        self._audit("survey.campaign_opened", "draft", data={"sample_size": size})

    def check_open(self, now: datetime) -> None:
        """Answers are taken while it is open and before its closing time."""
        if self.state != "open" or self.closes_at <= now:
            raise _state_error(ErrorReason.CAMPAIGN_NOT_OPEN, "调查活动未在进行中，不能作答。The campaign is not open.")

    def close(self, *, now: datetime, responses: int, score: Decimal | None) -> None:
        if self.state != "open":
            raise _state_error(ErrorReason.CAMPAIGN_NOT_OPEN, "只有进行中的调查活动可以结束。Only an open campaign closes.")
        self.state, self.closed_at, self.responses, self.score = "closed", now, responses, score
        self._audit("survey.campaign_closed", "open", data={"responses": responses, "sample_size": self.sample_size,
                                                            "score": str(score) if score is not None else None})

    def cancel(self, reason: str, *, now: datetime) -> None:
        why = reason.strip()
        if not 1 <= len(why) <= 500:
            raise invalid("取消原因须为 1 到 500 个字符。reason must have 1 to 500 characters.", "reason")
        if self.state not in ("draft", "open"):
            raise _state_error(ErrorReason.CAMPAIGN_NOT_OPEN,
                               "已结束或已取消的调查活动不能取消。A closed or cancelled campaign cannot be cancelled.")
        before = self.state
        self.state, self.cancelled_at, self.cancel_reason = "cancelled", now, why
        self._audit("survey.campaign_cancelled", before, note=why)


@dataclass(kw_only=True)
class ResponseRecord(Aggregate):
    """A response as it is entered: its audit row (the flat and channel, never the answers)."""

    project_id: UUID
    campaign_id: UUID

    def entered(self, response_id: UUID, unit_id: UUID, channel: str, score: Decimal | None) -> None:
        self.audit.append(AuditEntry(action="survey.response_entered", entity="survey_campaign", entity_id=self.campaign_id,
                                     project_id=self.project_id, data={"response_id": str(response_id), "unit_id": str(unit_id),
                                                                       "channel": channel,
                                                                       "score": str(score) if score is not None else None}))


@dataclass(kw_only=True)
class Exported(Aggregate):
    """A download of a campaign's results: its audit row (answers left the system)."""

    project_id: UUID
    campaign_id: UUID

    def taken(self, rows: int, *, texts: bool) -> None:
        self.audit.append(AuditEntry(action="survey.exported", entity="survey_campaign", entity_id=self.campaign_id,
                                     project_id=self.project_id, data={"rows": rows, "texts": texts}))
