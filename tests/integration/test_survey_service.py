"""Survey campaigns without GraphQL (domain/surveys/): the sample is proportional by building, the
same seed over the same flats draws the same sample and another seed another, flats sampled
lately are left out for the cooldown (a cancelled campaign frees them), empty flats are never
sampled, and closing stores the responses, sample size and score. As the application role."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sqlalchemy import text

from domain.surveys import responses, service
from domain.surveys.answers import Answer
from domain.surveys.commands import CampaignStep, CancelCampaign, EnterResponse
from tests.integration.survey_setup import opened, populate, questionnaire, sample_of, uow_of


async def _building_counts(owner_engine, campaign_id) -> dict[str, int]:
    async with owner_engine.connect() as conn:
        rows = await conn.execute(text("SELECT b.name, count(*) FROM survey_samples s JOIN buildings b ON b.id = s.building_id "
                                       "WHERE s.campaign_id = :c GROUP BY b.name"), {"c": campaign_id})
        return {r[0]: r[1] for r in rows}


async def _cancel(platform, org, cid) -> None:
    await service.cancel_campaign(CancelCampaign(cid, "重抽"), uow_of(platform, org))


async def test_the_sample_is_proportional_by_building_and_leaves_empty_flats_out(platform, owner_engine, org):
    flats = await populate(owner_engine, org, "P1", {"1号楼": 10, "2号楼": 4, "3号楼": 1}, empty=3)
    q = await questionnaire(platform, org)
    half = await opened(platform, org, q, value=50)
    assert await _building_counts(owner_engine, half) == {"1号楼": 5, "2号楼": 2, "3号楼": 1}  # ceil of each building's half
    occupied = {u for us in flats.values() for u in us}
    assert await sample_of(owner_engine, half) <= occupied
    async with owner_engine.connect() as conn:
        stored = (await conn.execute(text("SELECT sample_size, state FROM survey_campaigns WHERE id = :c"), {"c": half})).one()
    assert tuple(stored) == (8, "open")
    await _cancel(platform, org, half)
    # COUNT spreads about that many over the buildings: 6 of 15 → 40% of each, rounded up
    count = await opened(platform, org, q, mode="count", value=6)
    assert await _building_counts(owner_engine, count) == {"1号楼": 4, "2号楼": 2, "3号楼": 1}
    await _cancel(platform, org, count)
    everyone = await opened(platform, org, q, mode="all")
    assert await sample_of(owner_engine, everyone) == occupied


async def test_the_same_seed_draws_the_same_sample_and_the_cooldown_leaves_recent_flats_out(platform, owner_engine, org):
    flats = await populate(owner_engine, org, "P1", {"1号楼": 20, "2号楼": 10})
    q = await questionnaire(platform, org)
    first = await opened(platform, org, q, seed="2026Q4")
    drawn = await sample_of(owner_engine, first)
    assert len(drawn) == 15
    await _cancel(platform, org, first)  # a cancelled campaign does not hold its flats
    again = await opened(platform, org, q, seed="2026Q4")
    assert await sample_of(owner_engine, again) == drawn
    await _cancel(platform, org, again)
    other = await opened(platform, org, q, seed="another")
    assert await sample_of(owner_engine, other) != drawn and len(await sample_of(owner_engine, other)) == 15
    # While `other` is open, a new campaign with a cooldown leaves its 15 flats out; without one, it may take them.
    later = await opened(platform, org, q, seed="x", mode="all")
    everyone = {u for us in flats.values() for u in us}
    assert await sample_of(owner_engine, later) == everyone - await sample_of(owner_engine, other)
    await _cancel(platform, org, later)
    no_cooldown = await opened(platform, org, q, seed="x", mode="all", cooldown=0)
    assert len(await sample_of(owner_engine, no_cooldown)) == 30


async def test_closing_stores_the_responses_the_sample_and_the_mean_score(platform, owner_engine, org):
    flats = await populate(owner_engine, org, "P1", {"1号楼": 4})
    q = await questionnaire(platform, org)
    cid = await opened(platform, org, q, mode="all")
    async with owner_engine.connect() as conn:
        questions = (await conn.execute(text("SELECT id, kind FROM survey_questions WHERE questionnaire_id = :q ORDER BY position"),
                                        {"q": q})).all()
        fine = (await conn.execute(text("SELECT id FROM survey_options WHERE question_id = :q AND position = 1"),
                                   {"q": questions[1].id})).scalar_one()
    rating, single = questions[0].id, questions[1].id
    for unit, stars in zip(flats["1号楼"][:3], (5, 4, 2), strict=True):
        await responses.enter_response(EnterResponse(cid, unit, "phone", (Answer(rating, rating=stars), Answer(single, (fine,)))),
                                       uow_of(platform, org))
    await service.close_campaign(CampaignStep(cid), uow_of(platform, org))
    async with owner_engine.connect() as conn:
        row = (await conn.execute(text("SELECT state, sample_size, responses, score FROM survey_campaigns WHERE id = :c"),
                                  {"c": cid})).one()
        scores = [r[0] for r in await conn.execute(text("SELECT score FROM survey_responses WHERE campaign_id = :c ORDER BY score"),
                                                   {"c": cid})]
    # (40 × rating + 20 × 100) / 60 for ratings 5, 4, 2 → 100, 83.33, 50; their mean 77.78
    assert scores == [Decimal("50.00"), Decimal("83.33"), Decimal("100.00")]
    assert tuple(row) == ("closed", 4, 3, Decimal("77.78"))


async def test_a_month_s_closed_campaigns_weigh_in_the_evaluation_from_20_responses(platform, owner_engine, org):
    from domain.kpi.month import scored_month
    from domain.reads import ConnectionReader
    from tenants.context import TenantScope

    flats = await populate(owner_engine, org, "P1", {"1号楼": 25})
    await populate(owner_engine, org, "P2", {"二期": 19})
    q = await questionnaire(platform, org)
    async with owner_engine.connect() as conn:
        rating = (await conn.execute(text("SELECT id FROM survey_questions WHERE questionnaire_id = :q AND position = 1"),
                                     {"q": q})).scalar_one()
        single, option = (await conn.execute(text(
            "SELECT q.id, o.id FROM survey_questions q JOIN survey_options o ON o.question_id = q.id "
            "WHERE q.questionnaire_id = :q AND q.position = 2 AND o.position = 2"), {"q": q})).one()  # 一般: 60

    async def answered(project: str, units, stars: int) -> None:
        cid = await opened(platform, org, q, project=project, mode="all")
        for unit in units:
            await responses.enter_response(EnterResponse(cid, unit, "visit", (Answer(rating, rating=stars), Answer(single, (option,)))),
                                           uow_of(platform, org))
        await service.close_campaign(CampaignStep(cid), uow_of(platform, org))

    await answered("P1", flats["1号楼"][:20], 4)  # (40·75 + 20·60) / 60 = 70, 20 responses: counted
    async with owner_engine.connect() as conn:
        p2_units = [r[0] for r in await conn.execute(text("SELECT unit_id FROM occupancies WHERE project_id = :p"),
                                                     {"p": org.projects["P2"]})]
    await answered("P2", p2_units, 5)  # 19 responses: too few to weigh
    async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
        _, scored = await scored_month(ConnectionReader(conn, org.org_id), None)
    cards = {c.row.code: c for c in scored}
    assert cards["P1"].survey_score == pytest.approx(70.0) and cards["P1"].score == pytest.approx(70.0)  # nothing else that month
    assert (cards["P2"].survey_score, cards["P2"].score) == (None, None)


async def test_closing_a_campaign_is_a_change_of_its_month_s_evaluation(platform, owner_engine, org):
    from datetime import UTC, datetime

    from domain.kpi.month import month_period
    from tenants.context import TenantScope

    await populate(owner_engine, org, "P1", {"1号楼": 2})
    cid = await opened(platform, org, await questionnaire(platform, org), mode="all")
    month, _ = month_period(None)
    async with owner_engine.begin() as conn:  # the month evaluated a while ago, after every other change
        await conn.execute(text("INSERT INTO kpi_project_month (org_id, project_id, month, received, updated_at) "
                                "VALUES (:o, :p, :m, 1, now() - interval '1 hour') ON CONFLICT DO NOTHING"),
                           {"o": org.org_id, "p": org.projects["P1"], "m": month})
        await conn.execute(text("INSERT INTO kpi_project_score (org_id, project_id, month, score, computed_at) "
                                "VALUES (:o, :p, :m, 50, now() - interval '10 minutes')"),
                           {"o": org.org_id, "p": org.projects["P1"], "m": month})

    async def stale() -> set:
        async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
            return {r[0] for r in await conn.execute(text("SELECT month FROM evaluation_changes(:s)"), {"s": month})}

    assert await stale() == set()
    await service.close_campaign(CampaignStep(cid), uow_of(platform, org), now=datetime.now(UTC))
    assert await stale() == {month}
    async with platform.transaction(None) as conn:
        assert org.org_id in {r[0] for r in await conn.execute(text("SELECT orgs_with_evaluation_changes(:s)"), {"s": month})}


async def test_the_sweep_opens_campaigns_at_their_time_and_closes_them_at_theirs(platform, owner_engine, org):
    from datetime import UTC, datetime, timedelta

    from domain.surveys.commands import CreateCampaign
    from domain.surveys.model import CampaignSpec
    from workers import survey_sweep

    await populate(owner_engine, org, "P1", {"1号楼": 4})
    q = await questionnaire(platform, org)
    # Days back: the finder judges what is due by the database's clock, so every `now` here is behind it.
    now = datetime.now(UTC) - timedelta(days=3)

    async def draft(opens: datetime) -> object:
        spec = CampaignSpec("定时调查", opens, now + timedelta(days=7), "all", seed="t")
        return await service.create_campaign(CreateCampaign(org.projects["P1"], q, spec), uow_of(platform, org))

    due, later = await draft(now - timedelta(minutes=1)), await draft(now + timedelta(days=1))

    async def states() -> dict:
        async with owner_engine.connect() as conn:
            return {r[0]: r[1] for r in await conn.execute(text("SELECT id, state FROM survey_campaigns WHERE org_id = :o"),
                                                            {"o": org.org_id})}

    # The sweep is every company's; other tests' campaigns may be due too, so ours are counted here.
    await survey_sweep.sweep(platform, now)
    assert await states() == {due: "open", later: "draft"}
    assert len(await sample_of(owner_engine, due)) == 4 and await sample_of(owner_engine, later) == set()
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE survey_campaigns SET closes_at = :t WHERE id = :c"), {"t": now + timedelta(hours=1), "c": due})
    await survey_sweep.sweep(platform, now + timedelta(hours=2))
    assert await states() == {due: "closed", later: "draft"}
    # `later` opens the next day; its flats were all sampled by `due` and are in their cooldown.
    await survey_sweep.sweep(platform, now + timedelta(days=1, minutes=1))
    async with owner_engine.connect() as conn:
        rows = {r.id: r for r in await conn.execute(text("SELECT id, state, sample_size, responses, opened_at FROM survey_campaigns "
                                                         "WHERE org_id = :o"), {"o": org.org_id})}
        actors = {r[0] for r in await conn.execute(text("SELECT actor FROM audit_log WHERE org_id = :o AND action LIKE 'survey.campaign_%' "
                                                        "AND action <> 'survey.campaign_created'"), {"o": org.org_id})}
    assert (rows[due].state, rows[due].sample_size, rows[due].responses) == ("closed", 4, 0)
    assert (rows[later].state, rows[later].sample_size) == ("open", 0)
    assert actors == {"system:survey-schedule"}
