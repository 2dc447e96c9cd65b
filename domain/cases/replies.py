"""书面答复 deliveries: how and when a reply reached the resident. Several per reply are normal
(read out on the phone, then handed over on paper). The use case runs in the caller's unit of
work, which writes the case's audit row and outbox event at commit, with the delivery row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.errors import invalid, not_found
from domain.events import Event
from domain.unit_of_work import Aggregate, AuditEntry, UnitOfWork
from tenants.roles import Permission

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


@dataclass(frozen=True, slots=True)
class RecordReplyDelivery:
    """送达登记. `request` is the input as the idempotency key remembers it."""

    reply_id: UUID
    via: DeliveryWay
    recipient: str
    delivered_at: datetime
    note: str | None
    request: dict[str, Any]
    idempotency_key: str | None = None


@dataclass(kw_only=True)
class ReplyDelivered(Aggregate):
    """A delivery as recorded on its case: the audit row and `case.reply_delivered`."""

    org_id: UUID
    project_id: UUID
    case_id: UUID

    def record(self, reply: Row[Any], via: DeliveryWay, delivered_at: datetime, note: str | None, *, by: str) -> None:
        data = {"reply_id": str(reply.id), "version": reply.version, "via": via.value, "delivered_at": delivered_at.isoformat()}
        self.audit.append(AuditEntry(action="case.reply_delivered", entity="case", entity_id=self.case_id,
                                     project_id=self.project_id, note=note, data=data, actor=by))
        self.events.append(Event(topic="case.reply_delivered", org_id=self.org_id, project_id=self.project_id,
                                 payload={"case_id": str(self.case_id), **data}))


_REPLY = text("SELECT id, project_id, case_id, version, created_at FROM written_replies WHERE org_id = :o AND id = :id")
_INSERT = text(
    "INSERT INTO written_reply_deliveries (org_id, project_id, reply_id, via, recipient, delivered_at, note, recorded_by) "
    "VALUES (:o, :p, :r, :via, :who, :at, :note, :by) RETURNING id"
)


async def reply_for_delivery(conn: AsyncConnection, org_id: UUID, reply_id: UUID) -> Row[Any]:
    row = (await conn.execute(_REPLY, {"o": org_id, "id": reply_id})).first()
    if row is None:
        raise not_found("The written reply", "replyId", zh="书面答复")
    return row


async def record_reply_delivery(cmd: RecordReplyDelivery, uow: UnitOfWork) -> UUID:
    """The reply's id; CASE_FOLLOW_UP on its project."""
    async with uow:
        if (done := await uow.claim(cmd.idempotency_key, "recordReplyDelivery", cmd.request)) is not None:
            return UUID(done["reply_id"])
        reply = await reply_for_delivery(uow.conn, uow.org_id, cmd.reply_id)
        uow.require(Permission.CASE_FOLLOW_UP, reply.project_id)
        await record_delivery(uow, reply, via=cmd.via, recipient=cmd.recipient, delivered_at=cmd.delivered_at, note=cmd.note,
                              now=datetime.now(UTC))
        await uow.commit({"reply_id": str(cmd.reply_id)})
    return cmd.reply_id


async def record_delivery(uow: UnitOfWork, reply: Row[Any], *, via: DeliveryWay, recipient: str, delivered_at: datetime,
                          note: str | None, now: datetime) -> UUID:
    recipient, note = (recipient or "").strip(), (note or "").strip() or None
    if not 1 <= len(recipient) <= 100:
        raise invalid("请填写签收人（1 到 100 个字符）。recipient must name who received the reply (1–100 characters).", "recipient")
    if note is not None and len(note) > 500:
        raise invalid("备注最多 500 个字符。note may have at most 500 characters.", "note")
    if delivered_at > now + CLOCK_SKEW:
        raise invalid("送达时间不能晚于现在。A delivery cannot be recorded ahead of time.", "deliveredAt")
    if delivered_at < reply.created_at - CLOCK_SKEW:
        raise invalid("送达时间不能早于答复的撰写时间。The reply cannot have been delivered before it was written.", "deliveredAt")
    delivery_id: UUID = (await uow.conn.execute(_INSERT, {
        "o": uow.org_id, "p": reply.project_id, "r": reply.id, "via": via.value, "who": recipient, "at": delivered_at,
        "note": note, "by": uow.actor})).scalar_one()
    delivered = ReplyDelivered(org_id=uow.org_id, project_id=reply.project_id, case_id=reply.case_id)
    uow.track(delivered)
    delivered.record(reply, via, delivered_at, note, by=uow.actor)
    return delivery_id
