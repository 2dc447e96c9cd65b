"""满意度调查 use cases, each in the caller's unit of work: check the input, claim the idempotency
key, load (locked) what changes, check the permission on its project, apply the rule, save,
commit. Questionnaires are the company's (survey:manage company-wide); campaigns are a project's."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from domain.errors import DomainError, ErrorCode, invalid
from domain.surveys import repository
from domain.surveys.commands import CancelCampaign, CampaignStep, CreateCampaign, CreateQuestionnaire, SetQuestionnaireActive
from domain.surveys.invitations import invite
from domain.surveys.model import CampaignSpec, Exported, Questionnaire
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission


async def create_questionnaire(cmd: CreateQuestionnaire, uow: UnitOfWork) -> UUID:
    """新建问卷 of the company, with its questions and options; they never change afterwards."""
    uow.require(Permission.SURVEY_MANAGE, None)
    made, intro, questions = Questionnaire.create(cmd.title, cmd.intro, cmd.questions, by=uow.actor)
    async with uow:
        request = {"title": cmd.title, "intro": cmd.intro, "questions": [asdict(q) for q in cmd.questions]}
        if (done := await uow.claim(cmd.idempotency_key, "createSurveyQuestionnaire", request)) is not None:
            return UUID(done["id"])
        if await repository.title_taken(uow, made.title):
            raise DomainError(ErrorCode.CONFLICT, "已有同名问卷，请为新版本另起名称（如 2027版）。"
                                                  "A questionnaire with this title exists: name the new version.", "title")
        await repository.add_questionnaire(uow, made, intro, questions)
        await uow.commit({"id": str(made.id)})
    return made.id


async def set_questionnaire_active(cmd: SetQuestionnaireActive, uow: UnitOfWork) -> UUID:
    """启用/停用: campaigns already made keep their questionnaire; a switched-off one takes no new campaign."""
    uow.require(Permission.SURVEY_MANAGE, None)
    async with uow:
        request = {"questionnaireId": str(cmd.questionnaire_id), "active": cmd.active}
        if (done := await uow.claim(cmd.idempotency_key, "setSurveyQuestionnaireActive", request)) is not None:
            return UUID(done["id"])
        q = await repository.locked_questionnaire(uow, cmd.questionnaire_id)
        q.switch(cmd.active, by=uow.actor)
        await repository.save_questionnaire(uow, q)
        await uow.commit({"id": str(q.id)})
    return q.id


def _spec_request(spec: CampaignSpec) -> dict[str, Any]:
    return {"title": spec.title, "opensAt": spec.opens_at.isoformat(), "closesAt": spec.closes_at.isoformat(),
            "mode": spec.sample_mode, "value": spec.sample_value, "cooldownDays": spec.cooldown_days, "seed": spec.seed}


async def create_campaign(cmd: CreateCampaign, uow: UnitOfWork) -> UUID:
    """新建调查活动 of a project, on an active questionnaire of the company; a draft until opened."""
    spec = cmd.spec.check()
    async with uow:
        request = {"projectId": str(cmd.project_id), "questionnaireId": str(cmd.questionnaire_id), **_spec_request(cmd.spec)}
        if (done := await uow.claim(cmd.idempotency_key, "createSurveyCampaign", request)) is not None:
            return UUID(done["id"])
        uow.require(Permission.SURVEY_MANAGE, cmd.project_id)
        await repository.check_project(uow, cmd.project_id)
        if not await repository.questionnaire_active(uow, cmd.questionnaire_id):
            raise invalid("该问卷已停用，请选择启用中的问卷。This questionnaire is switched off: choose an active one.",
                          "questionnaireId")
        campaign = await repository.add_campaign(uow, cmd.project_id, cmd.questionnaire_id, spec)
        await uow.commit({"id": str(campaign.id)})
    return campaign.id


async def open_campaign(cmd: CampaignStep, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    """开始: the sample is drawn (one statement) and the questionnaire is in use from now on."""
    at = now or datetime.now(UTC)
    async with uow:
        if await uow.claim(cmd.idempotency_key, "openSurveyCampaign", {"campaignId": str(cmd.campaign_id)}) is not None:
            return cmd.campaign_id
        campaign = await repository.locked_campaign(uow, cmd.campaign_id)
        uow.require(Permission.SURVEY_MANAGE, campaign.project_id, "campaignId")
        campaign.open(now=at)
        await repository.save_campaign(uow, campaign)
        campaign.sampled(await repository.draw_sample(uow, campaign, at))
        await repository.save_campaign(uow, campaign)
        await invite(uow, campaign)
        await uow.commit({"id": str(campaign.id)})
    return campaign.id


async def close_campaign(cmd: CampaignStep, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    """结束: its responses, sample size and score are stored; no answer is taken afterwards."""
    async with uow:
        if await uow.claim(cmd.idempotency_key, "closeSurveyCampaign", {"campaignId": str(cmd.campaign_id)}) is not None:
            return cmd.campaign_id
        campaign = await repository.locked_campaign(uow, cmd.campaign_id)
        uow.require(Permission.SURVEY_MANAGE, campaign.project_id, "campaignId")
        responses, score = await repository.figures(uow, campaign.id)
        campaign.close(now=now or datetime.now(UTC), responses=responses, score=score)
        await repository.save_campaign(uow, campaign)
        await uow.commit({"id": str(campaign.id)})
    return campaign.id


async def cancel_campaign(cmd: CancelCampaign, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    """取消 a draft or open campaign, with a reason: it scores nothing and its sample frees its flats."""
    async with uow:
        request = {"campaignId": str(cmd.campaign_id), "reason": cmd.reason}
        if await uow.claim(cmd.idempotency_key, "cancelSurveyCampaign", request) is not None:
            return cmd.campaign_id
        campaign = await repository.locked_campaign(uow, cmd.campaign_id)
        uow.require(Permission.SURVEY_MANAGE, campaign.project_id, "campaignId")
        campaign.cancel(cmd.reason, now=now or datetime.now(UTC))
        await repository.save_campaign(uow, campaign)
        await uow.commit({"id": str(campaign.id)})
    return campaign.id


async def record_export(campaign_id: UUID, project_id: UUID, rows: int, texts: bool, uow: UnitOfWork) -> None:
    """The audit row `survey.exported`, committed before the file is answered."""
    async with uow:
        uow.require(Permission.SURVEY_READ, project_id, field="campaignId")
        export = Exported(project_id=project_id, campaign_id=campaign_id)
        export.taken(rows, texts=texts)
        uow.track(export)
        await uow.commit()
