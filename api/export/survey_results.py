"""GET /export/surveys/{campaignId}.xlsx (docs/resident-services.md §7.2): a campaign's figures, its
buildings and every response with its answers. Same credentials as a GraphQL client; read inside
the caller's tenant wall; needs `survey:read` on the campaign's project (written answers also
`archive:read`); every download audited."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import Response

from api.errors import ErrorCode
from api.graphql.types.node import from_global_id
from api.print.routes import caller, coded, error_response
from domain.errors import DomainError
from domain.reads import ConnectionReader
from domain.surveys import reads, service
from domain.surveys.sheet import survey_sheet
from domain.unit_of_work import UnitOfWork
from tenants.platform import Platform
from tenants.roles import Permission

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_HEADERS = {"Content-Disposition": 'attachment; filename="survey-results.xlsx"; '
                                   "filename*=UTF-8''%E8%B0%83%E6%9F%A5%E7%BB%93%E6%9E%9C.xlsx",  # 调查结果.xlsx
            "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}
_NOT_FOUND = "调查活动不存在或您无权查看。The survey campaign was not found or is not visible to you."


def export_survey_results(platform: Platform):
    async def endpoint(request: Request) -> Response:
        principal = await caller(platform, request, Permission.SURVEY_READ, "for a campaign's results")
        if isinstance(principal, Response):
            return principal
        try:
            campaign_id = from_global_id(request.path_params["campaign_id"], "SurveyCampaign", "campaignId")
        except DomainError as e:
            return coded(e)
        async with platform.transaction(principal.scope) as conn:
            db = ConnectionReader(conn, principal.org_id)
            campaign = await reads.campaign(db, campaign_id)
            if campaign is None or not principal.can(Permission.SURVEY_READ, campaign.project_id):
                return error_response(404, ErrorCode.NOT_FOUND, _NOT_FOUND)
            texts = principal.can(Permission.ARCHIVE_READ, campaign.project_id)
            score = campaign.score if campaign.state == "closed" else await reads.live_score(db, campaign_id)
            buildings = await reads.by_building(db, campaign_id)
            questions = await reads.questions(db, [campaign.questionnaire_id])
            responses = await reads.response_rows(db, campaign_id)
            answers = await reads.answer_rows(db, campaign_id)
        data = await asyncio.to_thread(survey_sheet, campaign, score, buildings, questions, responses, answers, texts=texts)
        uow = UnitOfWork(platform, org_id=principal.org_id, actor=principal.actor, scope=principal.scope, may=principal.can)
        try:
            await service.record_export(campaign_id, campaign.project_id, len(responses), texts, uow)
        except DomainError as e:
            return coded(e)
        return Response(data, media_type=_XLSX, headers=_HEADERS)

    return endpoint
