"""Outside bodies and referrals in PostgreSQL, inside the caller's unit of work and tenant wall.
Every change of a referral writes its `referral_updates` row and has its event recorded
(`ReferralRecord`, written by the unit of work at commit, in the same transaction); what it does
to the case goes through the case repository (audit, events, clocks)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.cases.model import Actor
from domain.cases.repository import CaseRepository
from domain.errors import DomainError, ErrorCode, not_found
from domain.notifications.direct import queue_direct
from domain.referrals.model import (
    BodyKind, BodySpec, DeliveryMethod, Feedback, OutsideBody, ReferralRecord, ReferralStatus, check_feedback, check_withdraw,
    feedback_due, text_of,
)
from domain.sla.calendar import CHINA
from domain.unit_of_work import UnitOfWork
from domain.wording import clause, place, sentence

# What signed inbound requests need: the body's company and project (a SECURITY DEFINER function),
# then its secret inside that wall. A body switched off gets no new referrals, but may still
# answer those it was sent.
FIND_BODY = text("SELECT org_id, project_id FROM outside_body_tenant(:id)")
BODY_SECRET = text("SELECT secret_enc, true AS active FROM outside_bodies WHERE org_id = :o AND id = :id")

BODY_COLUMNS = ("id, org_id, project_id, kind, name, contact_name, contact_phone, address, delivery, webhook_url, email, "
                "secret_enc, feedback_days, active, created_at")
_BODY = text(f"SELECT {BODY_COLUMNS} FROM outside_bodies WHERE org_id = :o AND id = :id")
_REFERRAL = text(
    "SELECT r.id, r.org_id, r.project_id, r.case_id, r.body_id, r.status, r.created_at, r.due_at, r.reminders_sent, r.escalated_level, "
    "  r.reason, r.requested_action, c.number AS case_number, b.name AS body_name "
    "FROM referrals r JOIN cases c ON c.id = r.case_id JOIN outside_bodies b ON b.id = r.body_id "
    "WHERE r.org_id = :o AND r.id = :id AND (CAST(:body AS uuid) IS NULL OR r.body_id = :body) FOR UPDATE OF r"
)
_CASE_FACTS = text(
    "SELECT c.number, c.description, c.public_area, b.name AS building, u.number AS unit, p.name AS project_name "
    "FROM cases c JOIN projects p ON p.id = c.project_id LEFT JOIN buildings b ON b.id = c.building_id "
    "LEFT JOIN units u ON u.id = c.unit_id WHERE c.org_id = :o AND c.id = :id"
)
_INSERT = text(
    "INSERT INTO referrals (org_id, project_id, case_id, body_id, reason, requested_action, created_by, due_at, next_check_at) "
    "VALUES (:o, :p, :c, :b, :reason, :action, :by, :due, :due) RETURNING id"
)
_UPDATE = text(
    "INSERT INTO referral_updates (org_id, project_id, referral_id, kind, via, note, at, actor) "
    "VALUES (:o, :p, :r, :kind, :via, :note, :at, :actor)"
)
_ACKNOWLEDGE = text("UPDATE referrals SET status = 'acknowledged', acknowledged_at = :at WHERE org_id = :o AND id = :id")
_ANSWER = text("UPDATE referrals SET status = 'answered', answered_at = :at, outcome = :outcome, next_check_at = NULL "
               "WHERE org_id = :o AND id = :id")
_WITHDRAW = text("UPDATE referrals SET status = 'withdrawn', next_check_at = NULL WHERE org_id = :o AND id = :id")


@dataclass(frozen=True)
class Who:
    """Who changes a referral: `via` inbound (the body itself), staff or system; `actor` for the
    history; `case_actor` for the case's audit (None: the system)."""

    via: str
    actor: str
    case_actor: Actor | None


async def body(conn: AsyncConnection, org_id: UUID, body_id: UUID) -> Row[Any] | None:
    return (await conn.execute(_BODY, {"o": org_id, "id": body_id})).first()


async def referral_for_update(conn: AsyncConnection, org_id: UUID, referral_id: UUID, body_id: UUID | None = None) -> Row[Any]:
    """The referral, locked; with `body_id` only if that body's (what it says of another's is
    not found, as an unknown id)."""
    row = (await conn.execute(_REFERRAL, {"o": org_id, "id": referral_id, "body": body_id})).first()
    if row is None:
        raise not_found("The referral", "referralId", zh="转办单")
    return row


async def note(conn: AsyncConnection, r: Row[Any], kind: str, who: Who, at: datetime, text_: str | None = None) -> None:
    await conn.execute(_UPDATE, {"o": r.org_id, "p": r.project_id, "r": r.id, "kind": kind, "via": who.via,
                                 "note": text_, "at": at, "actor": who.actor})


def record_of(uow: UnitOfWork, r: Row[Any]) -> ReferralRecord:
    """What the change of referral `r` announces, written by `uow` at commit."""
    record = ReferralRecord(id=r.id, org_id=r.org_id, project_id=r.project_id, case_id=r.case_id, body_id=r.body_id,
                            body_name=r.body_name, case_number=r.case_number)
    uow.track(record)
    return record


def letter_text(facts: Row[Any], reason: str, action: str, due_at: datetime) -> str:
    where = place(facts.building, facts.unit, facts.public_area, facts.project_name)
    return (f"工单 {facts.number}（{where}）：{sentence(facts.description)}\n转办原因：{sentence(reason)}\n"
            f"请求事项：{sentence(action)}\n请于{due_at.astimezone(CHINA):%Y年%m月%d日}前反馈办理结果。")


async def refer(uow: UnitOfWork, *, case_id: UUID, body_id: UUID, reason: str, requested_action: str,
                actor: Actor, now: datetime, check_project: Callable[[UUID], None] | None = None) -> UUID:
    """转办: the case moves to REFERRED, the referral and its 'sent' history are written, and the
    message to the body is queued (a letter waits to be printed). `check_project(project_id)`
    raises if the caller may not refer in the case's project."""
    conn, actor_label = uow.conn, uow.actor
    reason, requested_action = text_of(reason, "reason"), text_of(requested_action, "requestedAction")
    b = await body(conn, uow.org_id, body_id)
    if b is None:
        raise not_found("The outside body", "bodyId", zh="外部单位")
    repo = CaseRepository(uow)
    case = await repo.get_for_update(case_id)
    if case is None:
        raise not_found("The case", "caseId", zh="工单")
    if check_project is not None:
        check_project(case.project_id)
    if case.project_id != b.project_id:
        raise DomainError(ErrorCode.VALIDATION, "该外部单位登记在其他项目下，与工单所属项目不符。"
                          "The outside body is registered for another project than the case's.", "bodyId")
    if not b.active:
        raise DomainError(ErrorCode.INVALID_STATE, "该外部单位已停用，请先启用或另选一个。"
                          "The outside body is switched off; switch it on or choose another.", "bodyId")
    case.refer(b.name, reason, actor=actor, now=now)
    await repo.save(case)
    due = feedback_due(now, b.feedback_days)
    referral_id: UUID = (await conn.execute(_INSERT, {"o": b.org_id, "p": b.project_id, "c": case.id, "b": b.id, "reason": reason,
                                                "action": requested_action, "by": actor_label, "due": due})).scalar_one()
    r = await referral_for_update(conn, uow.org_id, referral_id)
    await note(conn, r, "sent", Who("staff", actor_label, actor), now)
    facts = (await conn.execute(_CASE_FACTS, {"o": uow.org_id, "id": case.id})).one()
    await queue_direct(
        uow, org_id=b.org_id, project_id=b.project_id, purpose="referral", ref_id=referral_id, kind=b.delivery,
        target=_target(b), secret_enc=b.secret_enc, topic="referral.sent", title=f"转办函 {facts.number} — {b.name}",
        body=letter_text(facts, reason, requested_action, due),
        data={"referral_id": str(referral_id), "case_number": facts.number, "reason": reason,
              "requested_action": requested_action, "due_at": due.isoformat(), "answer_to": f"/inbound/bodies/{b.id}"},
        dedupe_key=f"referral:{referral_id}:sent")
    record_of(uow, r).sent(due)
    return referral_id


def _target(b: Row[Any]) -> str:
    target: str
    if b.delivery == "webhook":
        target = b.webhook_url
    elif b.delivery == "email":
        target = b.email
    else:
        target = b.address or b.name  # a letter: where it is posted or handed over
    return target


async def remind(uow: UnitOfWork, r: Row[Any], n: int, now: datetime) -> bool:
    """催办 number `n`; False when it was queued before (a sweep racing another)."""
    conn = uow.conn
    b = await body(conn, r.org_id, r.body_id)
    assert b is not None  # a referral's body is never deleted (a foreign key)
    due = f"{r.due_at.astimezone(CHINA):%Y年%m月%d日}"
    queued = await queue_direct(
        uow, org_id=r.org_id, project_id=r.project_id, purpose="referral", ref_id=r.id, kind=b.delivery, target=_target(b),
        secret_enc=b.secret_enc, topic="referral.reminded", title=f"催办 第{n}次 {r.case_number} — {b.name}",
        body=f"工单 {r.case_number} 的转办事项（{clause(r.requested_action)}）应于{due}前反馈，至今尚未收到答复，请尽快办理并反馈。",
        data={"referral_id": str(r.id), "case_number": r.case_number, "reminder": n, "due_at": r.due_at.isoformat(),
              "answer_to": f"/inbound/bodies/{b.id}"},
        dedupe_key=f"referral:{r.id}:reminder:{n}")
    if queued is None:
        return False
    await note(conn, r, "reminded", Who("system", "system:referral-sweep", None), now, f"第{n}次催办")
    record_of(uow, r).reminded(n)
    return True


async def feedback(uow: UnitOfWork, r: Row[Any], kind: Feedback, words: str | None, who: Who, now: datetime) -> str:
    """签收 or 答复. An answer resolves the case with the body's outcome, which the resident then
    reads in their progress and confirms like any other result. Returns the new status."""
    conn = uow.conn
    check_feedback(ReferralStatus(r.status), kind)
    if kind is Feedback.ACKNOWLEDGED:
        words = (words or "").strip()[:2000] or None
        await conn.execute(_ACKNOWLEDGE, {"o": uow.org_id, "id": r.id, "at": now})
        await note(conn, r, "acknowledged", who, now, words)
        record_of(uow, r).acknowledged(by=who.actor)
        return ReferralStatus.ACKNOWLEDGED.value
    outcome = text_of(words, "outcome")
    repo = CaseRepository(uow)
    case = await repo.get_for_update(r.case_id)
    assert case is not None  # a referral's case is seen wherever the referral is
    case.referral_answered(outcome, actor=who.case_actor, now=now)
    await repo.save(case)
    await conn.execute(_ANSWER, {"o": uow.org_id, "id": r.id, "at": now, "outcome": outcome})
    await note(conn, r, "answered", who, now, outcome)
    record_of(uow, r).answered(outcome)
    return ReferralStatus.ANSWERED.value


async def withdraw(uow: UnitOfWork, r: Row[Any], reason: str, who: Who, now: datetime) -> None:
    """撤回: we take the case back; it is committed again and its clocks run on."""
    conn = uow.conn
    check_withdraw(ReferralStatus(r.status))
    reason = text_of(reason, "reason")
    repo = CaseRepository(uow)
    case = await repo.get_for_update(r.case_id)
    assert case is not None  # a referral's case is seen wherever the referral is
    case.take_back(reason, referred_at=r.created_at, actor=who.case_actor, now=now)
    await repo.save(case)
    await conn.execute(_WITHDRAW, {"o": uow.org_id, "id": r.id})
    await note(conn, r, "withdrawn", who, now, reason)


# Outside bodies as their managers change them (domain/referrals/model.py `OutsideBody`).
_BODY_FOR_UPDATE = text(f"SELECT {BODY_COLUMNS} FROM outside_bodies WHERE org_id = :o AND id = :id FOR UPDATE")
_PROJECT = text("SELECT 1 FROM projects WHERE org_id = :o AND id = :p")
_SAME_NAME = text("SELECT 1 FROM outside_bodies WHERE org_id = :o AND project_id = :p AND name = :n")
_INSERT_BODY = text(
    "INSERT INTO outside_bodies (id, org_id, project_id, kind, name, contact_name, contact_phone, address, delivery, "
    "  webhook_url, email, secret_enc, feedback_days, created_by) "
    "VALUES (:id, :o, :p, :kind, :name, :cn, :cp, :addr, :delivery, :url, :email, :secret, :days, :by)"
)
_SAVE_BODY = text(
    "UPDATE outside_bodies SET contact_name = :cn, contact_phone = :cp, address = :addr, delivery = :delivery, "
    "  webhook_url = :url, email = :email, feedback_days = :days, active = :active, secret_enc = :secret WHERE org_id = :o AND id = :id"
)
_PRINTED = text("UPDATE deliveries SET status = 'printed', sent_at = now() "
                "WHERE org_id = :o AND purpose = 'referral' AND ref_id = :r AND kind = 'letter' AND status = 'pending' RETURNING id")


class OutsideBodyRepository:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def project_exists(self, project_id: UUID) -> bool:
        return (await self._uow.conn.execute(_PROJECT, {"o": self._uow.org_id, "p": project_id})).first() is not None

    async def name_taken(self, project_id: UUID, name: str) -> bool:
        return (await self._uow.conn.execute(_SAME_NAME, {"o": self._uow.org_id, "p": project_id, "n": name})).first() is not None

    async def get(self, body_id: UUID) -> OutsideBody:
        b = (await self._uow.conn.execute(_BODY_FOR_UPDATE, {"o": self._uow.org_id, "id": body_id})).first()
        if b is None:
            raise not_found("The outside body", "bodyId", zh="外部单位")
        body = OutsideBody(id=b.id, org_id=b.org_id, project_id=b.project_id, active=b.active, secret_enc=b.secret_enc,
                           spec=BodySpec(BodyKind(b.kind), b.name, DeliveryMethod(b.delivery), b.webhook_url, b.email,
                                         b.contact_name, b.contact_phone, b.address, b.feedback_days))
        self._uow.track(body)
        return body

    async def add(self, body: OutsideBody) -> None:
        self._uow.track(body)
        await self._uow.conn.execute(_INSERT_BODY, {"id": body.id, **self._values(body), "o": body.org_id, "p": body.project_id,
                                                    "kind": body.spec.kind.value, "name": body.spec.name, "by": self._uow.actor})

    async def save(self, body: OutsideBody) -> None:
        await self._uow.conn.execute(_SAVE_BODY, {"o": self._uow.org_id, "id": body.id, **self._values(body), "active": body.active})

    @staticmethod
    def _values(body: OutsideBody) -> dict[str, Any]:
        s = body.spec
        return {"cn": s.contact_name, "cp": s.contact_phone, "addr": s.address, "delivery": s.delivery.value,
                "url": s.webhook_url, "email": s.email, "days": s.feedback_days, "secret": body.secret_enc}


async def letters_printed(conn: AsyncConnection, org_id: UUID, referral_id: UUID) -> int:
    """已打印: the referral's letters (and reminders) waiting on paper are printed; how many."""
    return len((await conn.execute(_PRINTED, {"o": org_id, "r": referral_id})).all())
