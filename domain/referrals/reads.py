"""转办 Outside bodies and referrals as they are read back, under the caller's row-level security:
a body's secret only as whether it has one; a referral's history and what was sent to the body,
for any number of referrals in one statement each."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Row, text

from domain.kpi.evaluation import Reader

_BODY_COLUMNS = ("id, project_id, kind, name, contact_name, contact_phone, address, delivery, webhook_url, email, "
                 "secret_enc IS NOT NULL AS has_secret, feedback_days, active, created_at")
_BODIES = text(f"SELECT {_BODY_COLUMNS} FROM outside_bodies WHERE org_id = :o AND project_id = :p ORDER BY kind, name")
_BODIES_BY_ID = text(f"SELECT {_BODY_COLUMNS} FROM outside_bodies WHERE org_id = :o AND id = ANY(:ids)")
_COLUMNS = ("id, project_id, case_id, body_id, reason, requested_action, status, created_at, created_by, acknowledged_at, "
            "answered_at, outcome, due_at, reminders_sent, escalated_level")
_LIST = text(f"SELECT {_COLUMNS} FROM referrals WHERE org_id = :o AND (CAST(:p AS uuid) IS NULL OR project_id = :p) "
             "AND (CAST(:s AS text) IS NULL OR status = :s) ORDER BY created_at DESC, id LIMIT :n")
_OF_CASE = text(f"SELECT {_COLUMNS} FROM referrals WHERE org_id = :o AND case_id = :c ORDER BY created_at DESC, id")
_ONE = text(f"SELECT {_COLUMNS} FROM referrals WHERE org_id = :o AND id = :id")
_HISTORY = text("SELECT referral_id, kind, via, note, at, actor FROM referral_updates WHERE org_id = :o AND referral_id = ANY(:ids) "
                "ORDER BY at, id")
_DELIVERIES = text("SELECT id, ref_id, topic, title, kind, status, attempts, last_error, created_at, sent_at FROM deliveries "
                   "WHERE org_id = :o AND purpose = 'referral' AND ref_id = ANY(:ids) ORDER BY created_at, id")


async def bodies(db: Reader, project_id: UUID) -> list[Row[Any]]:
    """The project's outside bodies by kind and name."""
    return await db.all(_BODIES, {"o": db.org_id, "p": project_id})


async def bodies_by_id(db: Reader, body_ids: list[UUID]) -> list[Row[Any]]:
    return await db.all(_BODIES_BY_ID, {"o": db.org_id, "ids": body_ids})


async def referrals(db: Reader, project_id: UUID | None, status: str | None, first: int) -> list[Row[Any]]:
    """Newest first; each filter applies only when given."""
    return await db.all(_LIST, {"o": db.org_id, "p": project_id, "s": status, "n": first})


async def referrals_of_case(db: Reader, case_id: UUID) -> list[Row[Any]]:
    """The case's referrals, newest first."""
    return await db.all(_OF_CASE, {"o": db.org_id, "c": case_id})


async def referral(db: Reader, referral_id: UUID) -> list[Row[Any]]:
    """The referral as a list of none or one, to be completed like a list."""
    return await db.all(_ONE, {"o": db.org_id, "id": referral_id})


async def history(db: Reader, referral_ids: list[UUID]) -> list[Row[Any]]:
    """Every step of the referrals, oldest first, each with its `referral_id`."""
    return await db.all(_HISTORY, {"o": db.org_id, "ids": referral_ids})


async def deliveries(db: Reader, referral_ids: list[UUID]) -> list[Row[Any]]:
    """What was sent for the referrals, oldest first, each with its referral as `ref_id`."""
    return await db.all(_DELIVERIES, {"o": db.org_id, "ids": referral_ids})
