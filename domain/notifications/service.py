"""Sending again: replay a delivery, retry a dead letter — each in the caller's unit of work."""

from __future__ import annotations

from uuid import UUID

from domain.notifications.commands import ReplayDelivery, RetryDeadLetter
from domain.notifications.repository import DeadLetterRepository, DeliveryRepository
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission


async def replay_delivery(cmd: ReplayDelivery, uow: UnitOfWork) -> UUID:
    async with uow:
        uow.require(Permission.CHANNEL_MANAGE, None)
        if (done := await uow.claim(cmd.idempotency_key, "replayDelivery", {"deliveryId": str(cmd.delivery_id)})) is not None:
            return UUID(done["delivery_id"])
        delivery = await DeliveryRepository(uow).get(cmd.delivery_id)
        delivery.replay(by=uow.actor)
        await uow.commit({"delivery_id": str(delivery.id)})
    return delivery.id


async def retry_dead_letter(cmd: RetryDeadLetter, uow: UnitOfWork) -> UUID:
    async with uow:
        uow.require(Permission.EVENTS_MANAGE, None)
        if (done := await uow.claim(cmd.idempotency_key, "retryDeadLetter", {"id": str(cmd.dead_letter_id)})) is not None:
            return UUID(done["id"])
        letters = DeadLetterRepository(uow)
        letter = await letters.get(cmd.dead_letter_id)
        letter.retry(by=uow.actor)
        await letters.republish(letter)
        await letters.save(letter)
        await uow.commit({"id": str(letter.id)})
    return letter.id
