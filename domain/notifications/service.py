"""Notifications' use cases, each in the caller's unit of work: sending again (replay a delivery,
retry a dead letter), the channels (add one, switch one on or off), and the inbox (mark read)."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from domain.notifications import inbox
from domain.notifications.channel import Channel
from domain.notifications.channel_repository import ChannelRepository
from domain.notifications.channels import check_channel
from domain.notifications.commands import (AddDeliveryChannel, MarkNotificationsRead, ReplayDelivery, RetryDeadLetter,
                                           SetDeliveryChannelActive)
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


async def add_delivery_channel(cmd: AddDeliveryChannel, uow: UnitOfWork, *, seal: Callable[[str], bytes],
                               hash_secret: Callable[[str], bytes], allow_loopback: bool) -> UUID:
    """`seal` encrypts the signing secret for storage; `hash_secret` fingerprints it for the
    idempotency key, which never keeps the secret itself."""
    uow.require(Permission.CHANNEL_MANAGE, None)
    spec = check_channel(cmd.spec, allow_loopback=allow_loopback)  # pure: checked before the transaction opens
    async with uow:
        given = cmd.spec
        request = {"kind": given.kind.value, "name": given.name, "target": given.target, "topics": list(given.topics),
                   "min_level": given.min_level, "per_minute": given.per_minute,
                   "project_id": str(cmd.project_id) if cmd.project_id else None,
                   "secret": hash_secret(given.secret).hex() if given.secret else None}
        if (done := await uow.claim(cmd.idempotency_key, "addDeliveryChannel", request)) is not None:
            return UUID(done["channel_id"])
        channels = ChannelRepository(uow, seal=seal)
        if cmd.project_id is not None:
            await channels.check_project(cmd.project_id)
        channel = Channel.add(spec, org_id=uow.org_id, project_id=cmd.project_id, by=uow.actor)
        await channels.add(channel)
        await uow.commit({"channel_id": str(channel.id)})
    return channel.id


async def set_delivery_channel_active(cmd: SetDeliveryChannelActive, uow: UnitOfWork) -> UUID:
    async with uow:
        uow.require(Permission.CHANNEL_MANAGE, None)
        request = {"channelId": str(cmd.channel_id), "active": cmd.active}
        if (done := await uow.claim(cmd.idempotency_key, "setDeliveryChannelActive", request)) is not None:
            return UUID(done["channel_id"])
        channels = ChannelRepository(uow)
        channel = await channels.get(cmd.channel_id)
        channel.switch(cmd.active, by=uow.actor)
        await channels.save(channel)
        await uow.commit({"channel_id": str(channel.id)})
    return channel.id


async def mark_notifications_read(cmd: MarkNotificationsRead, uow: UnitOfWork) -> None:
    """Nothing to audit: a person's own inbox."""
    inbox.check_marking(cmd.user_id, len(cmd.ids), cmd.all)
    assert cmd.user_id is not None
    async with uow:
        request = {"ids": [str(i) for i in cmd.ids], "all": cmd.all}
        if await uow.claim(cmd.idempotency_key, "markNotificationsRead", request) is not None:
            return
        await inbox.mark_read(uow.conn, uow.org_id, cmd.user_id, list(cmd.ids), cmd.all)
        await uow.commit({"ok": True})
