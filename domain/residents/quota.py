"""Per-resident and per-exchange limits (docs/resident-services.md §2.5): one upsert per counted
action into the window it falls in; over the limit, RATE_LIMITED until the window ends. A
resident's own windows are written under the resident role (its policy shows only theirs); the
exchange's, keyed by a hash of the key or the identity, under the key's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.errors import DomainError, ErrorCode
from domain.unit_of_work import Transactions
from tenants.context import TenantScope


@dataclass(frozen=True)
class Limit:
    bucket: str
    limit: int
    window: timedelta
    zh: str  # what is limited, for the message


REQUESTS = Limit("request", 300, timedelta(minutes=5), "请求")
MUTATIONS = Limit("mutation", 60, timedelta(hours=1), "操作")
KEY_EXCHANGES = Limit("sign_in_key", 600, timedelta(minutes=1), "住户登录")
IDENTITY_EXCHANGES = Limit("sign_in_identity", 20, timedelta(hours=1), "同一身份的登录")
# Cases a resident registers: counted from the cases themselves (Beijing day and month).
CASES_PER_DAY = 5
CASES_PER_MONTH = 20

_BY_RESIDENT = text(
    "INSERT INTO resident_quota (org_id, resident_id, bucket, window_start) VALUES (:o, :k, :b, :w) "
    "ON CONFLICT (org_id, resident_id, bucket, window_start) WHERE resident_id IS NOT NULL "
    "DO UPDATE SET used = resident_quota.used + 1 RETURNING used"
)
_BY_SUBJECT = text(
    "INSERT INTO resident_quota (org_id, subject_hash, bucket, window_start) VALUES (:o, :k, :b, :w) "
    "ON CONFLICT (org_id, subject_hash, bucket, window_start) WHERE subject_hash IS NOT NULL "
    "DO UPDATE SET used = resident_quota.used + 1 RETURNING used"
)
_OLD = text("DELETE FROM resident_quota WHERE org_id = :o AND window_start < :before")


def window_of(limit: Limit, now: datetime) -> datetime:
    seconds = int(limit.window.total_seconds())
    return datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, UTC)


def refused(what: str, retry_after: int) -> DomainError:
    return DomainError(ErrorCode.RATE_LIMITED, f"次数已达上限（{what}），请 {retry_after} 秒后再试。"
                                               f"Too many requests; try again in {retry_after} seconds.",
                       retry_after=max(1, retry_after))


async def count(conn: AsyncConnection, limit: Limit, org_id: UUID, *, resident_id: UUID | None = None,
                subject_hash: bytes | None = None, now: datetime | None = None) -> None:
    """Counts one action; raises RATE_LIMITED past the limit (the caller's transaction then rolls back,
    so a refused action is not counted; the window stays full until it ends)."""
    now = now or datetime.now(UTC)
    start = window_of(limit, now)
    statement, key = (_BY_RESIDENT, resident_id) if resident_id is not None else (_BY_SUBJECT, subject_hash)
    used = (await conn.execute(statement, {"o": org_id, "k": key, "b": limit.bucket, "w": start})).scalar_one()
    if used > limit.limit:
        raise refused(limit.zh, int((start + limit.window - now).total_seconds()) + 1)


async def forget_old(conn: AsyncConnection, org_id: UUID, now: datetime) -> int:
    """Windows older than a day (the sweep's step for one company)."""
    return (await conn.execute(_OLD, {"o": org_id, "before": now - timedelta(days=1)})).rowcount


async def count_request(transactions: Transactions, scope: TenantScope, resident_id: UUID, org_id: UUID) -> None:
    """A resident's request, counted in its own short transaction as the resident (the way an API
    key's request is authenticated in one)."""
    async with transactions.transaction(scope) as conn:
        await count(conn, REQUESTS, org_id, resident_id=resident_id)
