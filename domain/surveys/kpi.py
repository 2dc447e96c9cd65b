"""满意度调查 in the monthly evaluation (docs/resident-services.md §7.3): a project's survey score of a
Beijing month is the response-weighted mean of its campaigns closed that month with at least
MIN_RESPONSES responses (fewer say too little to weigh a project's month)."""

from __future__ import annotations

from sqlalchemy import text

MIN_RESPONSES = 20

SURVEY_MONTH_SCORES = text(
    "SELECT project_id, date_trunc('month', closed_at AT TIME ZONE 'Asia/Shanghai')::date AS month, "
    "sum(score * responses) / sum(responses) AS score FROM survey_campaigns "
    f"WHERE org_id = :org AND state = 'closed' AND score IS NOT NULL AND responses >= {MIN_RESPONSES} "
    "AND closed_at >= CAST(:since AS timestamp) AT TIME ZONE 'Asia/Shanghai' "
    "AND closed_at < CAST(:until AS timestamp) AT TIME ZONE 'Asia/Shanghai' GROUP BY project_id, 2"
)
