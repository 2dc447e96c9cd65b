"""Surveys as staff read them back: the company's questionnaires with their questions and options,
a project's campaigns, and a campaign's results — by building, by dimension, by question. Under
the caller's row-level security: another company's or an unreachable project's rows are not there."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text

from domain.reads import Reader

_QUESTIONNAIRES = text(
    "SELECT id, title, intro, active, used_at, created_by, created_at FROM survey_questionnaires "
    "WHERE org_id = :o AND (:inactive OR active) ORDER BY created_at DESC, id"
)
_QUESTIONNAIRE = text("SELECT id, title, intro, active, used_at, created_by, created_at FROM survey_questionnaires "
                       "WHERE org_id = :o AND id = ANY(:ids)")
_QUESTIONS = text("SELECT id, questionnaire_id, position, kind, text, required, dimension, weight FROM survey_questions "
                  "WHERE org_id = :o AND questionnaire_id = ANY(:qs) ORDER BY questionnaire_id, position")
_OPTIONS = text("SELECT o.id, o.question_id, o.position, o.label, o.score FROM survey_options o "
                "WHERE o.org_id = :o AND o.question_id = ANY(:qs) ORDER BY o.question_id, o.position")
CAMPAIGN_COLUMNS = (
    "c.id, c.project_id, c.questionnaire_id, c.title, c.opens_at, c.closes_at, c.sample_mode, c.sample_value, c.seed, "
    "c.cooldown_days, c.state, c.sample_size, c.responses, c.score, c.opened_at, c.closed_at, c.cancelled_at, c.cancel_reason, "
    "c.created_by, c.created_at, (SELECT q.title FROM survey_questionnaires q WHERE q.org_id = c.org_id "
    "AND q.id = c.questionnaire_id) AS questionnaire_title, "
    "(SELECT count(*) FROM survey_responses r WHERE r.org_id = c.org_id AND r.campaign_id = c.id) "
    "AS answered"
)
_CAMPAIGNS = text(f"SELECT {CAMPAIGN_COLUMNS} FROM survey_campaigns c WHERE c.org_id = :o AND c.project_id = :p "
                  "AND (CAST(:state AS text) IS NULL OR c.state = :state) ORDER BY c.created_at DESC, c.id LIMIT :limit")
_CAMPAIGN = text(f"SELECT {CAMPAIGN_COLUMNS} FROM survey_campaigns c WHERE c.org_id = :o AND c.id = :id")
_LIVE_SCORE = text("SELECT round(avg(score), 2) AS score FROM survey_responses WHERE org_id = :o AND campaign_id = :c")
_BY_BUILDING = text(
    "SELECT s.building_id, b.name, count(*) AS sample_size, count(r.id) AS responses, round(avg(r.score), 2) AS score "
    "FROM survey_samples s JOIN buildings b ON b.org_id = s.org_id AND b.id = s.building_id "
    "LEFT JOIN survey_responses r ON r.org_id = s.org_id AND r.campaign_id = s.campaign_id AND r.unit_id = s.unit_id "
    "WHERE s.org_id = :o AND s.campaign_id = :c GROUP BY s.building_id, b.name ORDER BY b.name, s.building_id"
)
# A dimension's score weighs each answer as its question does (the response's own rule, over everyone).
_BY_DIMENSION = text(
    "SELECT q.dimension, count(*) AS answers, round(sum(q.weight * a.score) / nullif(sum(q.weight), 0), 2) AS score "
    "FROM survey_answers a JOIN survey_responses r ON r.org_id = a.org_id AND r.id = a.response_id "
    "JOIN survey_questions q ON q.org_id = a.org_id AND q.id = a.question_id "
    "WHERE a.org_id = :o AND r.campaign_id = :c AND q.dimension IS NOT NULL AND q.weight > 0 AND a.score IS NOT NULL "
    "GROUP BY q.dimension ORDER BY q.dimension"
)
_BY_QUESTION = text(
    "SELECT a.question_id, count(*) AS answers, round(avg(a.rating), 2) AS mean_rating, round(avg(a.score), 2) AS score "
    "FROM survey_answers a JOIN survey_responses r ON r.org_id = a.org_id AND r.id = a.response_id "
    "WHERE a.org_id = :o AND r.campaign_id = :c GROUP BY a.question_id"
)
_OPTION_COUNTS = text(
    "SELECT o AS option_id, count(*) AS n FROM survey_answers a JOIN survey_responses r ON r.org_id = a.org_id "
    "AND r.id = a.response_id, unnest(a.option_ids) o WHERE a.org_id = :o AND r.campaign_id = :c GROUP BY o"
)
_TEXTS = text(
    "SELECT a.question_id, a.text FROM survey_answers a JOIN survey_responses r ON r.org_id = a.org_id AND r.id = a.response_id "
    "WHERE a.org_id = :o AND r.campaign_id = :c AND a.text IS NOT NULL ORDER BY r.submitted_at, r.id LIMIT 500"
)


async def questionnaires(db: Reader, include_inactive: bool) -> list[Row[Any]]:
    return await db.all(_QUESTIONNAIRES, {"o": db.org_id, "inactive": include_inactive})


async def questionnaires_by_id(db: Reader, ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_QUESTIONNAIRE, {"o": db.org_id, "ids": list(ids)})


async def questions(db: Reader, questionnaire_ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_QUESTIONS, {"o": db.org_id, "qs": list(questionnaire_ids)})


async def options(db: Reader, question_ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_OPTIONS, {"o": db.org_id, "qs": list(question_ids)})


async def campaigns(db: Reader, project_id: UUID, state: str | None, limit: int) -> list[Row[Any]]:
    return await db.all(_CAMPAIGNS, {"o": db.org_id, "p": project_id, "state": state, "limit": limit})


async def campaign(db: Reader, campaign_id: UUID) -> Row[Any] | None:
    return await db.first(_CAMPAIGN, {"o": db.org_id, "id": campaign_id})


async def live_score(db: Reader, campaign_id: UUID) -> Any:
    row = await db.first(_LIVE_SCORE, {"o": db.org_id, "c": campaign_id})
    return row.score if row else None


async def by_building(db: Reader, campaign_id: UUID) -> list[Row[Any]]:
    return await db.all(_BY_BUILDING, {"o": db.org_id, "c": campaign_id})


async def by_dimension(db: Reader, campaign_id: UUID) -> list[Row[Any]]:
    return await db.all(_BY_DIMENSION, {"o": db.org_id, "c": campaign_id})


async def by_question(db: Reader, campaign_id: UUID) -> list[Row[Any]]:
    return await db.all(_BY_QUESTION, {"o": db.org_id, "c": campaign_id})


async def option_counts(db: Reader, campaign_id: UUID) -> dict[UUID, int]:
    return {r.option_id: int(r.n) for r in await db.all(_OPTION_COUNTS, {"o": db.org_id, "c": campaign_id})}


async def texts(db: Reader, campaign_id: UUID) -> list[Row[Any]]:
    """The written answers, oldest first (at most 500 for the page; the export has them all)."""
    return await db.all(_TEXTS, {"o": db.org_id, "c": campaign_id})


# The export's rows: each response with its flat, and each answer with its options' labels.
_RESPONSE_ROWS = text(
    "SELECT r.id, b.name AS building, u.entrance, u.number, r.channel, r.submitted_at, r.score FROM survey_responses r "
    "JOIN units u ON u.org_id = r.org_id AND u.id = r.unit_id JOIN buildings b ON b.org_id = u.org_id AND b.id = u.building_id "
    "WHERE r.org_id = :o AND r.campaign_id = :c ORDER BY b.name, u.entrance, u.floor, u.number, r.id"
)
_ANSWER_ROWS = text(
    "SELECT a.response_id, a.question_id, a.rating, a.text, (SELECT string_agg(o.label, '、' ORDER BY o.position) "
    "FROM survey_options o WHERE o.org_id = a.org_id AND o.id = ANY(a.option_ids)) AS labels "
    "FROM survey_answers a JOIN survey_responses r ON r.org_id = a.org_id AND r.id = a.response_id WHERE a.org_id = :o AND "
    "r.campaign_id = :c"
)


async def response_rows(db: Reader, campaign_id: UUID) -> list[Row[Any]]:
    return await db.all(_RESPONSE_ROWS, {"o": db.org_id, "c": campaign_id})


async def answer_rows(db: Reader, campaign_id: UUID) -> list[Row[Any]]:
    return await db.all(_ANSWER_ROWS, {"o": db.org_id, "c": campaign_id})
