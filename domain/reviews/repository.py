"""Case reviews and bulletins in PostgreSQL, in the caller's unit of work: what a change loads
or makes is tracked there, so its audit rows and (on publication) its outbox event are written at
commit with the change. Reads run under the caller's row-level security, so a case, department
or bulletin of another project or company is simply not found."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.errors import invalid, not_found
from domain.kpi.month import COUNT_NAMES
from domain.reviews.model import Bulletin, CaseReview, review_content
from domain.reviews.rules import BulletinDraft, Review, check_version, freeze_figures
from domain.unit_of_work import UnitOfWork

_CASE = text("SELECT id, project_id FROM cases WHERE org_id = :o AND id = :c")
_REVIEW = text("SELECT id, version FROM case_reviews WHERE org_id = :o AND case_id = :c FOR UPDATE")
_INSERT_REVIEW = text(
    "INSERT INTO case_reviews (org_id, project_id, case_id, verdict, root_cause_category, root_cause, lessons, corrective_actions, "
    "tags, shared, reviewed_by) VALUES (:o, :p, :c, :verdict, :root_cause_category, :root_cause, :lessons, :corrective_actions, "
    "CAST(:tags AS text[]), :shared, :actor) RETURNING id, version"
)
_UPDATE_REVIEW = text(
    "UPDATE case_reviews SET verdict = :verdict, root_cause_category = :root_cause_category, root_cause = :root_cause, "
    "lessons = :lessons, corrective_actions = :corrective_actions, tags = CAST(:tags AS text[]), shared = :shared, "
    "reviewed_by = :actor, reviewed_at = now(), version = version + 1 WHERE org_id = :o AND id = :id RETURNING id, version"
)
# 全公司分享: a shared review's lesson, copied to every project the reviewer sees (headquarters:
# all of the company's) — the case's number and project's name, nothing of the resident.
_UNSHARE = text("DELETE FROM case_review_circulation WHERE org_id = :o AND review_id = :r")
_SHARE = text(
    "INSERT INTO case_review_circulation (org_id, project_id, review_id, case_number, source_project, verdict, root_cause_category, "
    "root_cause, lessons, corrective_actions, tags, version, reviewed_at) "
    "SELECT r.org_id, p.id, r.id, c.number, sp.name, r.verdict, r.root_cause_category, r.root_cause, r.lessons, r.corrective_actions, "
    "r.tags, r.version, r.reviewed_at FROM case_reviews r JOIN cases c ON c.org_id = r.org_id AND c.id = r.case_id "
    "JOIN projects sp ON sp.org_id = r.org_id AND sp.id = r.project_id JOIN projects p ON p.org_id = r.org_id WHERE r.org_id = :o "
    "AND r.id = :r"
)
_BULLETIN = text("SELECT id, project_id, department_id, kind, title, body, month, state, circulated FROM bulletins WHERE org_id = "
                 ":o AND id = :id "
                 "FOR UPDATE")
_DEPARTMENT = text("SELECT project_id FROM departments WHERE org_id = :o AND id = :d")
_CASES = text("SELECT id, project_id FROM cases WHERE org_id = :o AND id = ANY(:ids)")
_INSERT_BULLETIN = text(
    "INSERT INTO bulletins (org_id, project_id, kind, title, body, department_id, month, cited_figures, drafted_by) "
    "VALUES (:o, :p, :kind, :title, :body, :d, :month, CAST(:cited AS text[]), :actor) RETURNING id"
)
_UPDATE_BULLETIN = text(
    "UPDATE bulletins SET kind = :kind, title = :title, body = :body, department_id = :d, month = :month, "
    "cited_figures = CAST(:cited AS text[]), updated_at = now() WHERE org_id = :o AND id = :id"
)
# One project's counts for one month (MONTH_SQL reads every project with last month beside).
_MONTH = text(
    "SELECT p.households, " + ", ".join(f"coalesce(m.{c}, 0) AS {c}" for c in COUNT_NAMES) + " FROM projects p "
    "LEFT JOIN kpi_project_month m ON m.org_id = p.org_id AND m.project_id = p.id AND m.month = :m WHERE p.org_id = :o AND p.id = :p"
)
_LINKED = text(
    "SELECT c.id, c.number, c.kind, c.state FROM bulletin_cases bc JOIN cases c ON c.org_id = bc.org_id AND c.id = bc.case_id "
    "WHERE bc.org_id = :o AND bc.bulletin_id = :b ORDER BY bc.position"
)
_SUBJECT = text("SELECT p.name || coalesce(' · ' || d.name, '') FROM projects p LEFT JOIN departments d ON d.org_id = p.org_id "
                "AND d.id = :d WHERE "
                "p.org_id = :o AND p.id = :p")
# Every other project the publisher sees (headquarters: all of the company's) gets its copy.
_CIRCULATE = text(
    "INSERT INTO bulletin_circulation (org_id, project_id, bulletin_id, kind, title, body, month, subject, figures, published_at) "
    "SELECT :o, p.id, :b, :kind, :title, :body, :month, :subject, CAST(:f AS jsonb), :at FROM projects p "
    "WHERE p.org_id = :o AND p.id <> :p"
)


async def case_project(conn: AsyncConnection, org_id: UUID, case_id: UUID) -> UUID:
    """The project of a case the caller can see; the caller checks its permission there."""
    row = (await conn.execute(_CASE, {"o": org_id, "c": case_id})).first()
    if row is None:
        raise not_found("The case", "caseId", zh="工单")
    project_id: UUID = row.project_id
    return project_id


async def save_review(uow: UnitOfWork, *, project_id: UUID, case_id: UUID, review: Review,
                      expected_version: int | None) -> CaseReview:
    """Creates the case's review or revises it; each version's content goes to the audit log, and
a shared one to every project's circulation."""
    conn = uow.conn
    review = review.check()
    current = (await conn.execute(_REVIEW, {"o": uow.org_id, "c": case_id})).first()
    check_version(current.version if current else None, expected_version)
    params = {**review_content(review), "o": uow.org_id, "p": project_id, "c": case_id, "actor": uow.actor,
              "id": current.id if current else None}
    row = (await conn.execute(_UPDATE_REVIEW if current else _INSERT_REVIEW, params)).one()
    # Every version replaces the copies: revised, they say what the review says now; unshared, none.
    if current:
        await conn.execute(_UNSHARE, {"o": uow.org_id, "r": row.id})
    if review.shared:
        await conn.execute(_SHARE, {"o": uow.org_id, "r": row.id})
    saved = CaseReview(id=row.id, project_id=project_id, case_id=case_id, version=row.version)
    uow.track(saved)
    saved.saved(review, revised=current is not None)
    return saved


async def locked_bulletin(uow: UnitOfWork, bulletin_id: UUID) -> Bulletin:
    row = (await uow.conn.execute(_BULLETIN, {"o": uow.org_id, "id": bulletin_id})).first()
    if row is None:
        raise not_found("The bulletin", "bulletinId", zh="内部通报")
    bulletin = Bulletin(id=row.id, project_id=row.project_id, department_id=row.department_id, kind=row.kind, title=row.title,
                        body=row.body, month=row.month, state=row.state, circulated=row.circulated)
    uow.track(bulletin)
    return bulletin


async def _check_links(conn: AsyncConnection, org_id: UUID, project_id: UUID, draft: BulletinDraft) -> None:
    """The project must be visible, the department and the cases of it (the keys insist too)."""
    if (await conn.execute(text("SELECT 1 FROM projects WHERE org_id = :o AND id = :p"), {"o": org_id, "p": project_id})).first() is None:
        raise not_found("The project", "projectId", zh="项目")
    if draft.department_id is not None:
        dept = (await conn.execute(_DEPARTMENT, {"o": org_id, "d": draft.department_id})).first()
        if dept is None:
            raise not_found("The department", "departmentId", zh="部门")
        if dept.project_id != project_id:
            raise invalid("该部门属于其他项目。The department belongs to another project.", "departmentId")
    if draft.case_ids:
        found = {r.id: r.project_id for r in await conn.execute(_CASES, {"o": org_id, "ids": list(draft.case_ids)})}
        if len(found) < len(draft.case_ids):
            raise not_found("A linked case", "caseIds", zh="关联的工单")
        if any(p != project_id for p in found.values()):
            raise invalid("关联的工单须属于通报所在的项目。Linked cases must be of the bulletin's project.", "caseIds")


async def save_draft(uow: UnitOfWork, *, project_id: UUID, draft: BulletinDraft, existing: Bulletin | None = None) -> Bulletin:
    """A new draft, or the same draft rewritten (the caller has checked it is still a draft)."""
    conn = uow.conn
    await _check_links(conn, uow.org_id, project_id, draft)
    params = {"o": uow.org_id, "p": project_id, "kind": draft.kind, "title": draft.title, "body": draft.body,
              "d": draft.department_id, "month": draft.month, "cited": list(draft.cited_figures), "actor": uow.actor,
              "id": existing.id if existing else None}
    if existing is None:
        bulletin = Bulletin(id=(await conn.execute(_INSERT_BULLETIN, params)).scalar_one(), project_id=project_id)
        uow.track(bulletin)
    else:
        bulletin = existing
        await conn.execute(_UPDATE_BULLETIN, params)
        await conn.execute(text("DELETE FROM bulletin_cases WHERE org_id = :o AND bulletin_id = :b"),
                           {"o": uow.org_id, "b": bulletin.id})
    for i, case_id in enumerate(draft.case_ids):
        await conn.execute(text("INSERT INTO bulletin_cases (org_id, project_id, bulletin_id, case_id, position) "
                                "VALUES (:o, :p, :b, :c, :i)"),
                           {"o": uow.org_id, "p": project_id, "b": bulletin.id, "c": case_id, "i": i})
    bulletin.drafted(draft, revised=existing is not None)
    return bulletin


async def publish(uow: UnitOfWork, bulletin: Bulletin, *, now: datetime, circulate: bool = False) -> dict[str, Any]:
    """Freezes the month's figures of the subject project into the bulletin, publishes it (and
    circulates a copy to every other project); the bulletin announces it (`bulletin.published`)
    at commit."""
    conn = uow.conn
    month = (await conn.execute(_MONTH, {"o": uow.org_id, "p": bulletin.project_id, "m": bulletin.month})).one()
    counts = {c: int(getattr(month, c)) for c in COUNT_NAMES}
    cases = [{"id": str(c.id), "number": c.number, "kind": c.kind, "state": c.state}
             for c in await conn.execute(_LINKED, {"o": uow.org_id, "b": bulletin.id})]
    assert bulletin.month is not None
    snapshot = freeze_figures(bulletin.month, counts, month.households, cases, now)
    await conn.execute(text("UPDATE bulletins SET state = 'published', figures = CAST(:f AS jsonb), published_by = :by, "
                            "published_at = :at, updated_at = :at, circulated = :c WHERE org_id = :o AND id = :id"),
                       {"o": uow.org_id, "id": bulletin.id, "f": _json(snapshot), "by": uow.actor, "at": now, "c": circulate})
    audience = 0
    if circulate:
        subject = (await conn.execute(_SUBJECT, {"o": uow.org_id, "p": bulletin.project_id, "d": bulletin.department_id})).scalar_one()
        audience = (await conn.execute(_CIRCULATE, {"o": uow.org_id, "p": bulletin.project_id, "b": bulletin.id, "kind": bulletin.kind,
                                                    "title": bulletin.title, "body": bulletin.body, "month": bulletin.month,
                                                    "subject": subject, "f": _json(snapshot), "at": now})).rowcount
    bulletin.published(snapshot, org_id=uow.org_id, circulated_to=audience, circulate=circulate)
    return snapshot


async def withdraw(uow: UnitOfWork, bulletin: Bulletin, *, reason: str) -> None:
    """Stores the withdrawal the bulletin has recorded (`Bulletin.withdraw`), on every copy too."""
    conn = uow.conn
    await conn.execute(text("UPDATE bulletins SET state = 'withdrawn', withdrawn_by = :by, withdrawn_at = now(), "
                            "withdrawal_reason = :r, updated_at = now() WHERE org_id = :o AND id = :id"),
                       {"o": uow.org_id, "id": bulletin.id, "by": uow.actor, "r": reason})
    if bulletin.circulated:  # every copy says it was withdrawn, and why
        await conn.execute(text("UPDATE bulletin_circulation SET withdrawn_at = now(), withdrawal_reason = :r "
                                "WHERE org_id = :o AND bulletin_id = :b"),
                           {"o": uow.org_id, "b": bulletin.id, "r": reason})


def _json(value: Any) -> str:
    return orjson.dumps(value, default=str).decode()
