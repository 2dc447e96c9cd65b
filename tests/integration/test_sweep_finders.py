"""The sweeps' SECURITY DEFINER finders answer across companies with ids only, and only for what is
due by the database's clock: asked by the application role with a far-future (or far-past) time,
a company whose referral, notice, campaign, resolved case, rate-limit window or fee month is not
due yet stays out of the answer — the time cannot probe which companies use what."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import text

from domain.surveys import service as surveys
from domain.surveys.commands import CreateCampaign
from domain.surveys.model import CampaignSpec
from tests.api.conftest import desk  # noqa: F401 — fixture
from tests.api.test_auto_confirm import _resolved
from tests.api.test_referrals import referred
from tests.integration.survey_setup import populate, questionnaire
from tests.integration.survey_setup import uow_of as survey_uow
from tests.integration.test_notice_service import approved, plain

FAR = datetime.now(UTC) + timedelta(days=3650)


async def _found(platform, sql: str, **args) -> set:
    async with platform.transaction(None) as conn:
        return set((await conn.execute(text(sql), args)).scalars().all())


async def test_a_referral_not_yet_due_is_not_found_with_a_far_future_time(gql, desk, org, platform):  # noqa: F811
    await referred(gql, desk)
    assert org.org_id not in await _found(platform, "SELECT orgs_with_referrals_due(:t)", t=FAR)


async def test_a_scheduled_notice_is_not_found_with_a_far_future_time(org, platform):
    await approved(platform, org, plain(title="下月", publish_at=datetime.now(UTC) + timedelta(days=30),
                                       expires_at=datetime.now(UTC) + timedelta(days=40)),
                   now=datetime.now(UTC))
    assert org.org_id not in await _found(platform, "SELECT orgs_with_notices_due(:t)", t=FAR)


async def test_a_campaign_not_yet_open_is_not_found_with_a_far_future_time(owner_engine, org, platform):
    await populate(owner_engine, org, "P1", {"1号楼": 2})
    q = await questionnaire(platform, org)
    now = datetime.now(UTC)
    spec = CampaignSpec("明年的调查", now + timedelta(days=300), now + timedelta(days=310), "all", seed="t")
    await surveys.create_campaign(CreateCampaign(org.projects["P1"], q, spec), survey_uow(platform, org))
    assert org.org_id not in await _found(platform, "SELECT orgs_with_campaigns_due(:t)", t=now + timedelta(days=305))


async def test_a_case_resolved_just_now_is_not_found_with_a_far_future_time(gql, desk, org, platform):  # noqa: F811
    await _resolved(gql, desk)
    assert org.org_id not in await _found(platform, "SELECT orgs_with_cases_to_confirm(:t)", t=FAR)


async def test_a_recent_rate_limit_window_is_not_found_with_a_far_future_time(owner_engine, org, platform):
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO resident_quota (org_id, subject_hash, bucket, window_start) "
                                "VALUES (:o, uuid_send(gen_random_uuid()), 'recent', now() - interval '2 hours')"),
                           {"o": org.org_id})
    assert org.org_id not in await _found(platform, "SELECT orgs_with_resident_quota(:t)", t=FAR)


async def test_an_open_or_ancient_fee_month_is_not_found_with_chosen_dates(owner_engine, org, platform):
    next_month = (datetime.now(UTC).date().replace(day=1) + timedelta(days=40)).replace(day=1)
    async with owner_engine.begin() as conn:
        for month in (next_month, date(2001, 1, 1)):
            await conn.execute(text("INSERT INTO kpi_fee_month (org_id, project_id, month) VALUES (:o, :p, :m)"),
                               {"o": org.org_id, "p": org.projects["P1"], "m": month})
    found = await _found(platform, "SELECT orgs_with_fee_months_to_judge(:s, :b)", s=date(2000, 1, 1), b=date(2100, 1, 1))
    assert org.org_id not in found
