"""A sampled flat's answers (docs/resident-services.md §7.2): entered by staff from a phone call, a
visit or a paper form (survey:conduct), or given by a resident of the flat in the owner app. One
response per flat: a second is CONFLICT ALREADY_ANSWERED. Under a resident's wall another flat's
sample, another project's or company's campaign and a closed one are simply not found."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from domain.errors import DomainError, ErrorCode, ErrorReason, invalid, not_found
from domain.residents import quota
from domain.surveys import answers, repository
from domain.surveys.commands import EnterResponse
from domain.surveys.model import Campaign, ResponseRecord
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission

STAFF_CHANNELS = ("phone", "visit", "paper")


def _request(cmd: EnterResponse) -> dict[str, Any]:
    return {"campaignId": str(cmd.campaign_id), "unitId": str(cmd.unit_id), "channel": cmd.channel,
            "answers": [{**asdict(a), "question_id": str(a.question_id), "option_ids": [str(o) for o in a.option_ids]}
                        for a in cmd.answers]}


async def _record(uow: UnitOfWork, campaign: Campaign, cmd: EnterResponse, *, resident_id: UUID | None,
                  entered_by: str | None, now: datetime) -> UUID:
    campaign.check_open(now)
    if not await repository.sampled(uow, campaign.id, cmd.unit_id):
        raise not_found("The flat in this campaign's sample", "unitId", zh="本次调查样本中的房屋")
    if await repository.answered(uow, campaign.id, cmd.unit_id):
        raise _already()
    checked = answers.check(await repository.questions(uow, campaign.questionnaire_id), cmd.answers)
    response_id = await repository.add_response(uow, campaign, cmd.unit_id, cmd.channel, checked, resident_id=resident_id,
                                                entered_by=entered_by)
    if response_id is None:
        raise _already()
    record = ResponseRecord(project_id=campaign.project_id, campaign_id=campaign.id)
    record.entered(response_id, cmd.unit_id, cmd.channel, checked.score)
    uow.track(record)
    return response_id


def _already() -> DomainError:
    return DomainError(ErrorCode.CONFLICT, "该房屋已作答，每户只答一次。This flat has already answered.", "unitId",
                       reason=ErrorReason.ALREADY_ANSWERED)


async def enter_response(cmd: EnterResponse, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    """录入 by staff: the response's id."""
    if cmd.channel not in STAFF_CHANNELS:
        raise invalid("录入渠道须为电话、上门或纸质。channel must be PHONE, VISIT or PAPER.", "channel")
    async with uow:
        if (done := await uow.claim(cmd.idempotency_key, "enterSurveyResponse", _request(cmd))) is not None:
            return UUID(done["id"])
        # Shared, not exclusive: answers go on side by side, and closing waits for them.
        campaign = await repository.locked_campaign(uow, cmd.campaign_id, share=True)
        uow.require(Permission.SURVEY_CONDUCT, campaign.project_id, "campaignId")
        response_id = await _record(uow, campaign, cmd, resident_id=None, entered_by=uow.actor, now=now or datetime.now(UTC))
        await uow.commit({"id": str(response_id)})
    return response_id


async def resident_answer(cmd: EnterResponse, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    """The resident answers for a sampled flat of theirs, in the app."""
    async with uow:
        if (done := await uow.claim(cmd.idempotency_key, "residentAnswerSurvey", _request(cmd))) is not None:
            return UUID(done["id"])
        assert uow.scope is not None and uow.scope.resident_id is not None
        campaign = await repository.campaign_for_resident(uow, cmd.campaign_id)
        uow.require(Permission.RESIDENT_SELF, campaign.project_id, "campaignId")
        await quota.count(uow.conn, quota.MUTATIONS, uow.org_id, resident_id=uow.scope.resident_id)
        response_id = await _record(uow, campaign, cmd, resident_id=uow.scope.resident_id, entered_by=None,
                                    now=now or datetime.now(UTC))
        await uow.commit({"id": str(response_id)})
    return response_id
