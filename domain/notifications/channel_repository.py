"""Delivery channels in PostgreSQL, inside the company's wall. The signing secret is stored sealed."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from sqlalchemy import text

from domain.errors import not_found
from domain.notifications.channel import Channel
from domain.unit_of_work import UnitOfWork

_PROJECT = text("SELECT 1 FROM projects WHERE org_id = :o AND id = :p")
_INSERT = text(
    "INSERT INTO delivery_channels (org_id, id, project_id, kind, name, target, secret_enc, topics, min_level, per_minute, "
    "created_by) VALUES (:o, :id, :p, :k, :n, :t, :s, :topics, :lvl, :pm, :by)"
)
_CHANNEL = text("SELECT id, org_id, project_id, active FROM delivery_channels WHERE org_id = :o AND id = :id FOR UPDATE")
_SET_ACTIVE = text("UPDATE delivery_channels SET active = :a WHERE org_id = :o AND id = :id")


class ChannelRepository:
    def __init__(self, uow: UnitOfWork, *, seal: Callable[[str], bytes] | None = None) -> None:
        """`seal` encrypts a signing secret for storage (the platform's personal-data cipher)."""
        self._uow = uow
        self._seal = seal

    async def check_project(self, project_id: UUID) -> None:
        if (await self._uow.conn.execute(_PROJECT, {"o": self._uow.org_id, "p": project_id})).first() is None:
            raise not_found("The project", "projectId", zh="项目")

    async def add(self, channel: Channel) -> None:
        spec = channel.spec
        assert spec is not None, "only a new channel is added"
        if spec.secret and self._seal is None:
            raise RuntimeError("a channel with a secret needs a repository that can seal it")
        secret = self._seal(spec.secret) if spec.secret and self._seal else None
        await self._uow.conn.execute(_INSERT, {
            "o": channel.org_id, "id": channel.id, "p": channel.project_id, "k": spec.kind.value, "n": spec.name,
            "t": spec.target, "s": secret, "topics": list(spec.topics), "lvl": spec.min_level, "pm": spec.per_minute,
            "by": self._uow.actor})
        self._uow.track(channel)

    async def get(self, channel_id: UUID) -> Channel:
        row = (await self._uow.conn.execute(_CHANNEL, {"o": self._uow.org_id, "id": channel_id})).first()
        if row is None:
            raise not_found("The channel", "channelId", zh="推送渠道")
        channel = Channel(id=row.id, org_id=row.org_id, project_id=row.project_id, active=row.active)
        self._uow.track(channel)
        return channel

    async def save(self, channel: Channel) -> None:
        await self._uow.conn.execute(_SET_ACTIVE, {"o": channel.org_id, "a": channel.active, "id": channel.id})
