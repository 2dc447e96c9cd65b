from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import Row, text

from api.dataloaders._group import group_by
from api.request_db import RequestDb

# What the Delivery type reads; a channel's kind is on the channel, a direct delivery's on the row.
DELIVERY_SELECT = (
    "SELECT d.id, d.project_id, d.channel_id, d.ref_id, d.purpose, coalesce(c.kind, d.kind) AS kind, d.topic, d.title, "
    "  d.status, d.attempts, d.replays, d.last_error, d.created_at, d.sent_at "
    "FROM deliveries d LEFT JOIN delivery_channels c ON c.org_id = d.org_id AND c.id = d.channel_id "
)
# `deliveries` is walled per company only (a company's channels span its projects), so reads for
# project-limited callers also keep to the caller's projects.
IN_CALLERS_PROJECTS = "((SELECT app_all_projects()) OR d.project_id = ANY ((SELECT app_project_ids())::uuid[]))"

_SQL = text(DELIVERY_SELECT + f"WHERE d.ref_id = ANY(:ids) AND {IN_CALLERS_PROJECTS} ORDER BY d.created_at, d.id")


async def deliveries_by_ref(db: RequestDb, ref_ids: Sequence[UUID]) -> list[list[Row]]:
    """The messages sent about each referral or 12345 order, oldest first."""
    return group_by(await db.all(_SQL, {"ids": list(ref_ids)}), "ref_id", ref_ids)
