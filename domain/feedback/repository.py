"""Decision feedback in PostgreSQL, inside the caller's transaction: the month's out-of-remit
cases grouped into candidates (one statement, computed in PostgreSQL), an item reported with
the cases it stands for, and each later step. The item is tracked by the caller's unit of work,
which writes the audit row and the event it collected at commit."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text

from domain.errors import conflict, not_found
from domain.feedback.model import REACHED_AT, SAMPLE_CASES, FeedbackItem, Status, check_recurring
from domain.reads import Reader
from domain.sla.calendar import add_months, beijing_midnight
from domain.unit_of_work import UnitOfWork

# A case is out of remit in three ways; its period is the Beijing month it was received in, so a
# month's count does not move with when the referral or the return happened to be made.
_OUT_OF_REMIT = """
WITH out_of_remit AS (
  SELECT c.org_id, c.project_id, c.id AS case_id, c.number, c.category_id, r.body_id, 'referral' AS source
    FROM referrals r JOIN cases c ON c.org_id = r.org_id AND c.project_id = r.project_id AND c.id = r.case_id
   WHERE r.org_id = :o AND r.status <> 'withdrawn' AND c.received_at >= :since AND c.received_at < :until
     AND (CAST(:p AS uuid) IS NULL OR c.project_id = :p)
  UNION ALL
  SELECT c.org_id, c.project_id, c.id, c.number, c.category_id, g.returned_body_id, 'gov_return'
    FROM gov_orders g JOIN cases c ON c.org_id = g.org_id AND c.project_id = g.project_id AND c.id = g.case_id
   WHERE g.org_id = :o AND g.status = 'returned' AND c.received_at >= :since AND c.received_at < :until
     AND (CAST(:p AS uuid) IS NULL OR c.project_id = :p)
  UNION ALL
  SELECT c.org_id, c.project_id, c.id, c.number, c.category_id, NULL::uuid, 'declined'
    FROM cases c
   WHERE c.org_id = :o AND c.state = 'declined' AND c.received_at >= :since AND c.received_at < :until
     AND (CAST(:p AS uuid) IS NULL OR c.project_id = :p)
     -- a returned 12345 order declines its case too: counted once, as the return, with its body
     AND NOT EXISTS (SELECT 1 FROM gov_orders g WHERE g.org_id = c.org_id AND g.case_id = c.id AND g.status = 'returned')
)"""
_CANDIDATES = text(_OUT_OF_REMIT + f"""
SELECT o.project_id, pr.name AS project_name, o.category_id, cat.code AS category_code, cat.name AS category_name,
       o.body_id, b.name AS body_name, b.kind AS body_kind, count(DISTINCT o.case_id) AS case_count,
       count(DISTINCT o.case_id) FILTER (WHERE o.source = 'referral') AS referred,
       count(DISTINCT o.case_id) FILTER (WHERE o.source = 'gov_return') AS returned,
       count(DISTINCT o.case_id) FILTER (WHERE o.source = 'declined') AS declined,
       (array_agg(DISTINCT o.number ORDER BY o.number))[1:{SAMPLE_CASES}] AS sample, i.id AS item_id
  FROM out_of_remit o
  JOIN projects pr ON pr.org_id = o.org_id AND pr.id = o.project_id
  JOIN case_categories cat ON cat.org_id = o.org_id AND cat.id = o.category_id
  LEFT JOIN outside_bodies b ON b.org_id = o.org_id AND b.project_id = o.project_id AND b.id = o.body_id
  LEFT JOIN decision_feedback_items i ON i.org_id = o.org_id AND i.project_id = o.project_id AND i.category_id = o.category_id
       AND i.body_id IS NOT DISTINCT FROM o.body_id AND i.period = :period
 GROUP BY o.project_id, pr.name, pr.code, o.category_id, cat.code, cat.name, o.body_id, b.name, b.kind, i.id
HAVING count(DISTINCT o.case_id) >= :min
 ORDER BY case_count DESC, pr.code, cat.code, b.name NULLS LAST""")
_CASES_OF = text(_OUT_OF_REMIT + """
SELECT DISTINCT case_id FROM out_of_remit WHERE category_id = :cat AND body_id IS NOT DISTINCT FROM CAST(:b AS uuid)""")
_PROJECT = text("SELECT id FROM projects WHERE org_id = :o AND id = :p")
_CATEGORY = text("SELECT id, name FROM case_categories WHERE org_id = :o AND code = :code")
_BODY = text("SELECT id, name FROM outside_bodies WHERE org_id = :o AND id = :b AND project_id = :p")
_EXISTS = text("SELECT 1 FROM decision_feedback_items WHERE org_id = :o AND project_id = :p "
               "AND category_id = :cat "
               "AND body_id IS NOT DISTINCT FROM CAST(:b AS uuid) AND period = :period")
_INSERT = text(
    "INSERT INTO decision_feedback_items (org_id, project_id, id, category_id, body_id, period, title, summary, case_count, "
    "reported_at, reported_by) VALUES (:o, :p, :id, :cat, :b, :period, :title, :summary, :n, :at, :by)")
_LINK = text("INSERT INTO decision_feedback_cases (org_id, project_id, item_id, case_id) "
             "SELECT :o, :p, :id, unnest(CAST(:cases AS uuid[]))")
_STEP = text("INSERT INTO decision_feedback_steps (org_id, project_id, item_id, status, evidence, attachments, actor, at) "
             "VALUES (:o, :p, :id, :status, :evidence, :attachments, :by, :at)")
_LOCKED = text(
    "SELECT i.id, i.project_id, i.status, i.title, i.period, i.case_count, cat.code AS category_code, cat.name AS category_name, "
    "b.name AS body_name FROM decision_feedback_items i JOIN case_categories cat ON cat.org_id = i.org_id AND cat.id = i.category_id "
    "LEFT JOIN outside_bodies b ON b.org_id = i.org_id AND b.id = i.body_id WHERE i.org_id = :o AND i.id = :id FOR UPDATE OF i")


def month_window(period: date) -> dict[str, Any]:
    return {"period": period, "since": beijing_midnight(period), "until": beijing_midnight(add_months(period, 1))}


async def candidates(db: Reader, project_id: UUID | None, period: date, min_cases: int) -> list[Row[Any]]:
    return await db.all(_CANDIDATES, {"o": db.org_id, "p": project_id, "min": min_cases, **month_window(period)})


async def report(uow: UnitOfWork, *, project_id: UUID, period: date, category_code: str, body_id: UUID | None, title: str,
                 summary: str, attachments: tuple[str, ...], now: datetime) -> FeedbackItem:
    """Reports the candidate (project, category, body, month), linking every case it stands for."""
    conn, org_id, actor = uow.conn, uow.org_id, uow.actor
    if (await conn.execute(_PROJECT, {"o": uow.org_id, "p": project_id})).first() is None:
        raise not_found("The project", "projectId", zh="项目")
    category = (await conn.execute(_CATEGORY, {"o": uow.org_id, "code": category_code})).first()
    if category is None:
        raise not_found(f"The category {category_code[:40]!r}", "categoryCode", zh=f"类别 {category_code[:40]!r} ")
    body = None
    if body_id is not None:
        body = (await conn.execute(_BODY, {"o": uow.org_id, "b": body_id, "p": project_id})).first()
        if body is None:
            raise not_found("The outside body (of this project)", "bodyId", zh="本项目的外部单位")
    key = {"o": org_id, "p": project_id, "cat": category.id, "b": body_id, "period": period}
    if (await conn.execute(_EXISTS, key)).first():
        raise conflict("本月已上报过该问题，请推进已有的事项。"
                       "This problem is already reported for this month: advance the existing item instead.", "categoryCode")
    cases = [r.case_id for r in await conn.execute(_CASES_OF, {**month_window(period), **key})]
    check_recurring(len(cases))
    item_id = uuid.uuid4()
    values = {"o": org_id, **key, "id": item_id, "title": title, "summary": summary, "n": len(cases), "at": now, "by": actor}
    await conn.execute(_INSERT, values)
    await conn.execute(_LINK, {"o": org_id, "p": project_id, "id": item_id, "cases": cases})
    await conn.execute(_STEP, {"o": org_id, "p": project_id, "id": item_id, "status": Status.REPORTED.value, "evidence": summary,
                               "attachments": list(attachments), "by": actor, "at": now})
    item = FeedbackItem(id=item_id, project_id=project_id, status=Status.REPORTED, title=title, period=period, case_count=len(cases),
                        category_code=category_code, category_name=category.name, body_name=body.name if body else None)
    uow.track(item)
    item.reported(org_id=org_id, body_id=body_id)
    return item


async def locked_item(uow: UnitOfWork, item_id: UUID) -> FeedbackItem:
    row = (await uow.conn.execute(_LOCKED, {"o": uow.org_id, "id": item_id})).first()
    if row is None:
        raise not_found("The decision-feedback item", "itemId", zh="决策反馈事项")
    item = FeedbackItem(id=row.id, project_id=row.project_id, status=Status(row.status), title=row.title, period=row.period,
                        case_count=row.case_count, category_code=row.category_code, category_name=row.category_name,
                        body_name=row.body_name)
    uow.track(item)
    return item


async def record_step(uow: UnitOfWork, item: FeedbackItem, *, evidence: str, attachments: tuple[str, ...], now: datetime) -> None:
    """Stores the step the item has just taken (`FeedbackItem.advance`) with its evidence."""
    conn, status = uow.conn, item.status
    await conn.execute(text(f"UPDATE decision_feedback_items SET status = :s, {REACHED_AT[status]} = :at "
                            "WHERE org_id = :o AND id = :id"),
                       {"o": uow.org_id, "s": status.value, "at": now, "id": item.id})
    await conn.execute(_STEP, {"o": uow.org_id, "p": item.project_id, "id": item.id, "status": status.value, "evidence": evidence,
                               "attachments": list(attachments), "by": uow.actor, "at": now})
