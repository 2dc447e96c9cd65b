"""A delivery channel as it is added and switched on or off: each change leaves its audit entry.
The signing secret is the channel's to keep (sealed by the repository), never the audit's. Pure;
the checks of what may be configured are in `channels.py`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from uuid import UUID

from domain.notifications.channels import ChannelSpec
from domain.unit_of_work import Aggregate, AuditEntry


@dataclass(kw_only=True)
class Channel(Aggregate):
    id: UUID
    org_id: UUID
    project_id: UUID | None  # None: every project
    active: bool = True
    spec: ChannelSpec | None = None  # only while a new channel waits to be stored

    @classmethod
    def add(cls, spec: ChannelSpec, *, org_id: UUID, project_id: UUID | None, by: str) -> Channel:
        """`spec` as `check_channel` returned it."""
        channel = cls(id=uuid.uuid4(), org_id=org_id, project_id=project_id, spec=spec)
        channel.audit.append(AuditEntry(action="channel.added", entity="delivery_channel", entity_id=channel.id,
                                        project_id=project_id, actor=by,
                                        data={"kind": spec.kind.value, "name": spec.name, "topics": list(spec.topics)}))
        return channel

    def switch(self, active: bool, *, by: str) -> None:
        # Switched and recorded even when already so: the log shows who asked.
        self.active = active
        self.audit.append(AuditEntry(action="channel.switched", entity="delivery_channel", entity_id=self.id,
                                     project_id=self.project_id, data={"active": active}, actor=by))
