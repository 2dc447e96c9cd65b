"""Deliveries and dead letters as the replay and retry rules need them: loaded locked, saved."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import text

from domain.errors import not_found
from domain.notifications.model import DeadLetter, Delivery
from domain.unit_of_work import UnitOfWork

# `deliveries` is walled per company only (a company's channels span its projects), so reads for
# project-limited callers also keep to the caller's projects.
IN_CALLERS_PROJECTS = "((SELECT app_all_projects()) OR d.project_id = ANY ((SELECT app_project_ids())::uuid[]))"
_DELIVERY = text(
    "SELECT d.id, d.org_id, d.project_id, d.status, coalesce(c.kind, d.kind) AS kind, coalesce(c.active, true) AS active "
    "FROM deliveries d LEFT JOIN delivery_channels c ON c.org_id = d.org_id AND c.id = d.channel_id "
    f"WHERE d.org_id = :o AND d.id = :id AND {IN_CALLERS_PROJECTS} FOR UPDATE OF d"
)
_LETTER = text("SELECT id, event_id, retried_at, retried_by FROM dead_letters WHERE org_id = :o AND id = :id FOR UPDATE")
_REPUBLISH = text("SELECT outbox_republish(:e)")
_MARK = text("UPDATE dead_letters SET retried_at = now(), retried_by = :by WHERE org_id = :o AND id = :id")


class DeliveryRepository:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def get(self, delivery_id: UUID) -> Delivery:
        row = (await self._uow.conn.execute(_DELIVERY, {"o": self._uow.org_id, "id": delivery_id})).first()
        if row is None:
            raise not_found("The delivery", "deliveryId", zh="推送记录")
        delivery = Delivery(id=row.id, org_id=row.org_id, project_id=row.project_id, status=row.status, kind=row.kind,
                            channel_active=row.active)
        self._uow.track(delivery)
        return delivery


class DeadLetterRepository:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def get(self, letter_id: UUID) -> DeadLetter:
        row = (await self._uow.conn.execute(_LETTER, {"o": self._uow.org_id, "id": letter_id})).first()
        if row is None:
            raise not_found("The dead letter", "id", zh="死信")
        letter = DeadLetter(id=row.id, event_id=row.event_id, retried_at=row.retried_at, retried_by=row.retried_by)
        self._uow.track(letter)
        return letter

    async def republish(self, letter: DeadLetter) -> None:
        """Back into the outbox, as the event it was (a SECURITY DEFINER function: the outbox is the relay's)."""
        if not (await self._uow.conn.execute(_REPUBLISH, {"e": letter.event_id})).scalar_one():
            raise not_found("The event of this dead letter", "id", zh="此死信的事件")

    async def save(self, letter: DeadLetter) -> None:
        await self._uow.conn.execute(_MARK, {"o": self._uow.org_id, "id": letter.id, "by": letter.retried_by})
