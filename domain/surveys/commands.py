"""What a caller asks of surveys: parsed values (UUIDs, the input as given; the model checks it)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.surveys.answers import Answer
from domain.surveys.model import CampaignSpec, QuestionSpec


@dataclass(frozen=True, slots=True)
class CreateQuestionnaire:
    title: str
    intro: str
    questions: tuple[QuestionSpec, ...]
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class SetQuestionnaireActive:
    questionnaire_id: UUID
    active: bool
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class CreateCampaign:
    project_id: UUID
    questionnaire_id: UUID
    spec: CampaignSpec
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class CampaignStep:
    """openSurveyCampaign and closeSurveyCampaign: the campaign, nothing more."""

    campaign_id: UUID
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class CancelCampaign:
    campaign_id: UUID
    reason: str
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class EnterResponse:
    """Staff entering a sampled flat's answers (channel phone, visit or paper), or a resident
    answering in the app (channel app; the resident is the caller)."""

    campaign_id: UUID
    unit_id: UUID
    channel: str
    answers: tuple[Answer, ...]
    idempotency_key: str | None = None
