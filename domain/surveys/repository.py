"""Surveys in PostgreSQL, in the caller's unit of work: what a change loads or makes is tracked
there, so its audit rows are written at commit with the change. Reads run under the caller's
row-level security — a resident's too — so another company's questionnaire, another project's
campaign or a flat outside the sample is simply not found."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.errors import not_found
from domain.surveys.answers import CheckedResponse, Question
from domain.surveys.model import Campaign, CampaignSpec, QuestionSpec, Questionnaire
from domain.unit_of_work import UnitOfWork

_TITLE_TAKEN = text("SELECT 1 FROM survey_questionnaires WHERE org_id = :o AND title = :t")
_QUESTIONNAIRE_LOCKED = text("SELECT id, title, active FROM survey_questionnaires WHERE org_id = :o AND id = :id FOR UPDATE")
_QUESTIONNAIRE = text("SELECT id, active FROM survey_questionnaires WHERE org_id = :o AND id = :id")
_INSERT_QUESTIONS = text(
    "INSERT INTO survey_questions (org_id, questionnaire_id, position, kind, text, required, dimension, weight) "
    "SELECT :o, :q, position, kind, t, required, dimension, weight FROM unnest(CAST(:positions AS int[]), CAST(:kinds AS text[]), "
    "CAST(:texts AS text[]), CAST(:required AS boolean[]), CAST(:dimensions AS text[]), CAST(:weights AS smallint[])) "
    "AS x(position, kind, t, required, dimension, weight) RETURNING id, position"
)
_INSERT_OPTIONS = text(
    "INSERT INTO survey_options (org_id, question_id, position, label, score) "
    "SELECT :o, q, position, label, score FROM unnest(CAST(:questions AS uuid[]), CAST(:positions AS int[]), "
    "CAST(:labels AS text[]), CAST(:scores AS smallint[])) AS x(q, position, label, score)"
)
_MARK_USED = text("UPDATE survey_questionnaires SET used_at = :now WHERE org_id = :o AND id = :id AND used_at IS NULL")

CAMPAIGN_COLUMNS = ("id, project_id, questionnaire_id, state, closes_at, sample_size, responses, score, opened_at, closed_at, "
                    "cancelled_at, cancel_reason")
# A resident may read a campaign's words and times only (the column grant), so their read names them.
_CAMPAIGN_FOR_RESIDENT = text("SELECT id, project_id, questionnaire_id, state, closes_at FROM survey_campaigns WHERE org_id = :o "
                              "AND id = :id")
_CAMPAIGN_LOCKED = text(f"SELECT {CAMPAIGN_COLUMNS} FROM survey_campaigns WHERE org_id = :o AND id = :id FOR UPDATE")
_CAMPAIGN_SHARED = text(f"SELECT {CAMPAIGN_COLUMNS} FROM survey_campaigns WHERE org_id = :o AND id = :id FOR SHARE")
_INSERT_CAMPAIGN = text(
    "INSERT INTO survey_campaigns (org_id, project_id, questionnaire_id, title, opens_at, closes_at, sample_mode, sample_value, "
    "seed, cooldown_days, created_by) VALUES (:o, :p, :q, :title, :opens, :closes, :mode, :value, :seed, :cooldown, :by) "
    f"RETURNING {CAMPAIGN_COLUMNS}"
)
_SAVE_CAMPAIGN = text(
    "UPDATE survey_campaigns SET state = :state, sample_size = :sample_size, responses = :responses, score = :score, "
    "opened_at = :opened_at, closed_at = :closed_at, cancelled_at = :cancelled_at, cancel_reason = :cancel_reason WHERE org_id = "
    ":o AND id = :id"
)
# §7.2's sample in one statement: the flats with someone living there now, not sampled by another
# live campaign of the project within the cooldown, in each building ordered by md5(seed ‖ flat)
# and the first ceil(n × share) taken — so every building is represented in proportion, and the
# same seed over the same flats draws the same sample.
_SAMPLE = text("""
WITH eligible AS (
  SELECT u.id AS unit_id, u.building_id,
         row_number() OVER (PARTITION BY u.building_id ORDER BY md5(c.seed || u.id::text), u.id) AS rank,
         count(*) OVER (PARTITION BY u.building_id) AS in_building
  FROM survey_campaigns c JOIN units u ON u.org_id = c.org_id AND u.project_id = c.project_id
  WHERE c.org_id = :o AND c.id = :c
    AND EXISTS (SELECT 1 FROM occupancies o WHERE o.org_id = u.org_id AND o.unit_id = u.id AND o.moved_out_on IS NULL)
    AND NOT EXISTS (SELECT 1 FROM survey_samples s JOIN survey_campaigns x ON x.org_id = s.org_id AND x.id = s.campaign_id
                    WHERE s.org_id = u.org_id AND s.project_id = u.project_id AND s.unit_id = u.id AND x.id <> c.id
                      AND x.state IN ('open', 'closed')
                      AND x.opened_at > CAST(:now AS timestamptz) - make_interval(days => c.cooldown_days))
), share AS (
  SELECT CASE c.sample_mode WHEN 'all' THEN 1::numeric
                            WHEN 'percent' THEN c.sample_value / 100.0
                            ELSE least(1, c.sample_value::numeric / greatest((SELECT count(*) FROM eligible), 1)) END AS f
  FROM survey_campaigns c WHERE c.org_id = :o AND c.id = :c
)
INSERT INTO survey_samples (org_id, project_id, campaign_id, unit_id, building_id)
SELECT :o, :p, :c, e.unit_id, e.building_id FROM eligible e, share WHERE e.rank <= ceil(e.in_building * share.f)
""")
_FIGURES = text("SELECT count(*) AS responses, round(avg(score), 2) AS score FROM survey_responses WHERE org_id = :o AND campaign_id = :c")

_QUESTIONS = text("SELECT id, position, kind, text, required, weight FROM survey_questions WHERE org_id = :o AND questionnaire_id = :q "
                  "ORDER BY position")
_OPTIONS = text("SELECT o.question_id, o.id, o.score FROM survey_options o JOIN survey_questions q ON q.org_id = o.org_id "
                "AND q.id = o.question_id WHERE o.org_id = :o AND q.questionnaire_id = :q")
_SAMPLED = text("SELECT 1 FROM survey_samples WHERE org_id = :o AND campaign_id = :c AND unit_id = :u")
_ANSWERED = text("SELECT 1 FROM survey_responses WHERE org_id = :o AND campaign_id = :c AND unit_id = :u")
_INSERT_RESPONSE = text(
    "INSERT INTO survey_responses (org_id, project_id, campaign_id, unit_id, resident_id, channel, entered_by, score) "
    "VALUES (:o, :p, :c, :u, :r, :channel, :by, :score) ON CONFLICT (org_id, campaign_id, unit_id) DO NOTHING RETURNING id"
)
_INSERT_ANSWERS = text(
    "INSERT INTO survey_answers (org_id, project_id, response_id, question_id, option_ids, rating, text, score) "
    "SELECT :o, :p, :r, q, coalesce((SELECT array_agg(CAST(x AS uuid)) FROM jsonb_array_elements_text(CAST(opts AS jsonb)) x), "
    "'{}'), rating, t, score FROM unnest(CAST(:questions AS uuid[]), CAST(:options AS text[]), CAST(:ratings AS smallint[]), "
    "CAST(:texts AS text[]), CAST(:scores AS numeric[])) AS a(q, opts, rating, t, score)"
)


async def title_taken(uow: UnitOfWork, title: str) -> bool:
    return (await uow.conn.execute(_TITLE_TAKEN, {"o": uow.org_id, "t": title})).first() is not None


async def add_questionnaire(uow: UnitOfWork, q: Questionnaire, intro: str, questions: tuple[QuestionSpec, ...]) -> None:
    uow.track(q)
    conn, o = uow.conn, uow.org_id
    await conn.execute(text("INSERT INTO survey_questionnaires (org_id, id, title, intro, created_by) VALUES (:o, :id, :t, :i, :by)"),
                       {"o": o, "id": q.id, "t": q.title, "i": intro, "by": uow.actor})
    rows = await conn.execute(_INSERT_QUESTIONS, {
        "o": o, "q": q.id, "positions": list(range(1, len(questions) + 1)), "kinds": [x.kind for x in questions],
        "texts": [x.text for x in questions], "required": [x.required for x in questions],
        "dimensions": [x.dimension for x in questions], "weights": [x.weight for x in questions]})
    ids = {r.position: r.id for r in rows}
    options = [(ids[n], p, o.label, o.score) for n, x in enumerate(questions, 1) for p, o in enumerate(x.options, 1)]
    if options:
        await conn.execute(_INSERT_OPTIONS, {"o": o, "questions": [x[0] for x in options], "positions": [x[1] for x in options],
                                             "labels": [x[2] for x in options], "scores": [x[3] for x in options]})


async def locked_questionnaire(uow: UnitOfWork, questionnaire_id: UUID) -> Questionnaire:
    row = (await uow.conn.execute(_QUESTIONNAIRE_LOCKED, {"o": uow.org_id, "id": questionnaire_id})).first()
    if row is None:
        raise not_found("The questionnaire", "questionnaireId", zh="问卷")
    q = Questionnaire(id=row.id, title=row.title, active=row.active)
    uow.track(q)
    return q


async def save_questionnaire(uow: UnitOfWork, q: Questionnaire) -> None:
    await uow.conn.execute(text("UPDATE survey_questionnaires SET active = :a WHERE org_id = :o AND id = :id"),
                           {"o": uow.org_id, "a": q.active, "id": q.id})


async def check_project(uow: UnitOfWork, project_id: UUID) -> None:
    if (await uow.conn.execute(text("SELECT 1 FROM projects WHERE org_id = :o AND id = :p"),
                               {"o": uow.org_id, "p": project_id})).first() is None:
        raise not_found("The project", "projectId", zh="项目")


async def questionnaire_active(uow: UnitOfWork, questionnaire_id: UUID) -> bool:
    row = (await uow.conn.execute(_QUESTIONNAIRE, {"o": uow.org_id, "id": questionnaire_id})).first()
    if row is None:
        raise not_found("The questionnaire", "questionnaireId", zh="问卷")
    return bool(row.active)


def from_row(r: Any) -> Campaign:
    return Campaign(id=r.id, project_id=r.project_id, questionnaire_id=r.questionnaire_id, state=r.state, closes_at=r.closes_at,
                    sample_size=r.sample_size, responses=r.responses, score=r.score, opened_at=r.opened_at,
                    closed_at=r.closed_at, cancelled_at=r.cancelled_at, cancel_reason=r.cancel_reason)


async def add_campaign(uow: UnitOfWork, project_id: UUID, questionnaire_id: UUID, spec: CampaignSpec) -> Campaign:
    row = (await uow.conn.execute(_INSERT_CAMPAIGN, {
        "o": uow.org_id, "p": project_id, "q": questionnaire_id, "title": spec.title, "opens": spec.opens_at,
        "closes": spec.closes_at, "mode": spec.sample_mode, "value": spec.sample_value, "seed": spec.seed,
        "cooldown": spec.cooldown_days, "by": uow.actor})).one()
    c = from_row(row)
    uow.track(c)
    c.created(spec)
    return c


async def locked_campaign(uow: UnitOfWork, campaign_id: UUID, *, share: bool = False) -> Campaign:
    row = (await uow.conn.execute(_CAMPAIGN_SHARED if share else _CAMPAIGN_LOCKED, {"o": uow.org_id, "id": campaign_id})).first()
    if row is None:
        raise not_found("The survey campaign", "campaignId", zh="调查活动")
    c = from_row(row)
    uow.track(c)
    return c


async def campaign_for_resident(uow: UnitOfWork, campaign_id: UUID) -> Campaign:
    """Unlocked (a resident may not lock it): an open campaign sampling one of their flats, by their wall."""
    row = (await uow.conn.execute(_CAMPAIGN_FOR_RESIDENT, {"o": uow.org_id, "id": campaign_id})).first()
    if row is None:
        raise not_found("The survey campaign", "campaignId", zh="调查活动")
    return Campaign(id=row.id, project_id=row.project_id, questionnaire_id=row.questionnaire_id, state=row.state,
                    closes_at=row.closes_at)


async def save_campaign(uow: UnitOfWork, c: Campaign) -> None:
    await uow.conn.execute(_SAVE_CAMPAIGN, {"o": uow.org_id,
        "id": c.id, "state": c.state, "sample_size": c.sample_size, "responses": c.responses, "score": c.score,
        "opened_at": c.opened_at, "closed_at": c.closed_at, "cancelled_at": c.cancelled_at, "cancel_reason": c.cancel_reason})


async def draw_sample(uow: UnitOfWork, c: Campaign, now: datetime) -> int:
    result = await uow.conn.execute(_SAMPLE, {"o": uow.org_id, "p": c.project_id, "c": c.id, "now": now})
    await uow.conn.execute(_MARK_USED, {"o": uow.org_id, "id": c.questionnaire_id, "now": now})
    return int(result.rowcount)


async def figures(uow: UnitOfWork, campaign_id: UUID) -> tuple[int, Decimal | None]:
    row = (await uow.conn.execute(_FIGURES, {"o": uow.org_id, "c": campaign_id})).one()
    return int(row.responses), row.score


async def questions(uow: UnitOfWork, questionnaire_id: UUID) -> list[Question]:
    options: dict[UUID, dict[UUID, int]] = defaultdict(dict)
    for r in await uow.conn.execute(_OPTIONS, {"o": uow.org_id, "q": questionnaire_id}):
        options[r.question_id][r.id] = r.score
    return [Question(r.id, r.position, r.kind, r.text, r.required, r.weight, options.get(r.id, {}))
            for r in await uow.conn.execute(_QUESTIONS, {"o": uow.org_id, "q": questionnaire_id})]


async def sampled(uow: UnitOfWork, campaign_id: UUID, unit_id: UUID) -> bool:
    return (await uow.conn.execute(_SAMPLED, {"o": uow.org_id, "c": campaign_id, "u": unit_id})).first() is not None


async def answered(uow: UnitOfWork, campaign_id: UUID, unit_id: UUID) -> bool:
    return (await uow.conn.execute(_ANSWERED, {"o": uow.org_id, "c": campaign_id, "u": unit_id})).first() is not None


async def add_response(uow: UnitOfWork, c: Campaign, unit_id: UUID, channel: str, response: CheckedResponse, *,
                       resident_id: UUID | None, entered_by: str | None) -> UUID | None:
    """The response and its answers; None when the flat's response is already on file (a race lost)."""
    keys = {"o": uow.org_id, "p": c.project_id}
    response_id = (await uow.conn.execute(_INSERT_RESPONSE, {**keys, "c": c.id, "u": unit_id, "r": resident_id, "channel": channel,
                                                              "by": entered_by, "score": response.score})).scalar()
    if response_id is None:
        return None
    a = response.answers
    await uow.conn.execute(_INSERT_ANSWERS, {
        **keys, "r": response_id, "questions": [x.question_id for x in a],
        "options": [json.dumps([str(o) for o in x.option_ids]) for x in a], "ratings": [x.rating for x in a],
        "texts": [x.text for x in a], "scores": [x.score for x in a]})
    return UUID(str(response_id))
