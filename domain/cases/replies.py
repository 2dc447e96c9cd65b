"""书面答复 deliveries: how and when a reply reached the resident. Several per reply are normal
(read out on the phone, then handed over on paper). Written in the caller's transaction with
an audit row and an outbox event, like every case change."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.errors import invalid, not_found
from domain.events import Event
from domain.outbox import write_audit, write_event

CLOCK_SKEW = timedelta(minutes=5)


class DeliveryWay(StrEnum):
    IN_PERSON = "in_person"
    POST = "post"
    EMAIL = "email"
    WECHAT = "wechat"
    SMS = "sms"
    APP = "app"
    PHONE = "phone"


DELIVERY_LABELS = {
    DeliveryWay.IN_PERSON: "当面送达 In person", DeliveryWay.POST: "邮寄 By post", DeliveryWay.EMAIL: "电子邮件 E-mail",
    DeliveryWay.WECHAT: "微信 WeChat", DeliveryWay.SMS: "短信 SMS", DeliveryWay.APP: "业主App Owner app",
    DeliveryWay.PHONE: "电话告知 Read out by phone",
}

_REPLY = text("SELECT id, project_id, case_id, version, created_at FROM written_replies WHERE id = :id")
_INSERT = text(
    "INSERT INTO written_reply_deliveries (org_id, project_id, reply_id, via, recipient, delivered_at, note, recorded_by) "
    "VALUES (:o, :p, :r, :via, :who, :at, :note, :by) RETURNING id"
)


async def reply_for_delivery(conn: AsyncConnection, reply_id: UUID) -> Row:
    row = (await conn.execute(_REPLY, {"id": reply_id})).first()
    if row is None:
        raise not_found("The written reply", "replyId")
    return row


async def record_delivery(conn: AsyncConnection, reply: Row, *, org_id: UUID, via: DeliveryWay, recipient: str,
                          delivered_at: datetime, note: str | None, actor: str, now: datetime) -> UUID:
    recipient, note = (recipient or "").strip(), (note or "").strip() or None
    if not 1 <= len(recipient) <= 100:
        raise invalid("recipient must name who received the reply (1–100 characters).", "recipient")
    if note is not None and len(note) > 500:
        raise invalid("note may have at most 500 characters.", "note")
    if delivered_at > now + CLOCK_SKEW:
        raise invalid("A delivery cannot be recorded ahead of time.", "deliveredAt")
    if delivered_at < reply.created_at - CLOCK_SKEW:
        raise invalid("The reply cannot have been delivered before it was written.", "deliveredAt")
    delivery_id = (await conn.execute(_INSERT, {
        "o": org_id, "p": reply.project_id, "r": reply.id, "via": via.value, "who": recipient, "at": delivered_at,
        "note": note, "by": actor})).scalar_one()
    data = {"reply_id": str(reply.id), "version": reply.version, "via": via.value, "delivered_at": delivered_at.isoformat()}
    await write_audit(conn, org_id=org_id, project_id=reply.project_id, actor=actor, action="case.reply_delivered",
                      entity="case", entity_id=reply.case_id, note=note, data=data)
    await write_event(conn, Event(topic="case.reply_delivered", org_id=org_id, project_id=reply.project_id,
                                  payload={"case_id": str(reply.case_id), **data}))
    return delivery_id
