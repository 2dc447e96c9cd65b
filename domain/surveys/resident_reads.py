"""A resident's surveys (docs/resident-services.md §7.4): the open campaigns that sampled one of
their flats, one entry per flat, with the questionnaire to answer and whether the flat has
answered. The resident role's row-level security is the wall."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, text

from domain.reads import Reader

_LABEL = "concat_ws(' ', b.name, CASE WHEN u.entrance <> '' THEN u.entrance || '单元' END, u.number)"
_MINE = text(
    f"SELECT c.id AS campaign_id, c.title, c.closes_at, c.questionnaire_id, q.title AS questionnaire_title, q.intro, "
    f"s.unit_id, {_LABEL} AS unit_label, "
    "EXISTS (SELECT 1 FROM survey_responses r WHERE r.org_id = s.org_id AND r.campaign_id = s.campaign_id "
    "AND r.unit_id = s.unit_id) AS answered "
    "FROM survey_campaigns c JOIN survey_samples s ON s.org_id = c.org_id AND s.campaign_id = c.id "
    "JOIN survey_questionnaires q ON q.org_id = c.org_id AND q.id = c.questionnaire_id "
    "JOIN units u ON u.org_id = s.org_id AND u.id = s.unit_id JOIN buildings b ON b.org_id = u.org_id AND b.id = u.building_id "
    "WHERE c.org_id = :o AND c.state = 'open' AND c.closes_at > now() ORDER BY c.closes_at, c.id, unit_label LIMIT 50"
)


async def surveys(db: Reader) -> list[Row[Any]]:
    return await db.all(_MINE, {"o": db.org_id})
