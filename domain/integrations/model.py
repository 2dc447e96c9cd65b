"""A signed integration as an aggregate: added with a name and an encrypted secret, switched off
(its requests are refused with 403 until switched on again) and on, its secret rotated. Each step
records its audit row; the secret itself never goes into one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Self
from uuid import UUID, uuid4

from domain.fees.model import text_field
from domain.integrations.kinds import IntegrationKind
from domain.unit_of_work import Aggregate, AuditEntry


@dataclass(kw_only=True)
class SignedIntegration(Aggregate):
    KIND: ClassVar[IntegrationKind]

    id: UUID
    org_id: UUID
    project_id: UUID
    name: str
    secret_enc: bytes
    active: bool = True

    @classmethod
    def add(cls, *, org_id: UUID, project_id: UUID, name: str, secret_enc: bytes, by: str, **own: Any) -> Self:
        """`own`: the kind's own columns (KIND.columns), recorded in the audit row after the name."""
        made = cls(id=uuid4(), org_id=org_id, project_id=project_id, name=text_field(name, "name", zh="名称", max_len=100),
                   secret_enc=secret_enc, **own)
        made._record("added", by, {"name": made.name, **own})
        return made

    @classmethod
    def from_row(cls, row: Any, org_id: UUID) -> Self:
        return cls(id=row.id, org_id=org_id, project_id=row.project_id, name=row.name, secret_enc=row.secret_enc,
                   active=row.active, **{column: getattr(row, column) for column in cls.KIND.columns})

    def switch(self, active: bool, *, by: str) -> None:
        """Off, what it sends is refused (403) until switched on again."""
        self.active = active
        self._record("switched", by, {"active": active})

    def rotate_secret(self, stored: bytes, *, by: str) -> None:
        self.secret_enc = stored
        self._record("secret_rotated", by, None)

    def _record(self, step: str, by: str, data: dict[str, Any] | None) -> None:
        entity = self.KIND.entity
        self.audit.append(AuditEntry(action=f"{entity}.{step}", entity=entity, entity_id=self.id,
                                     project_id=self.project_id, data=data, actor=by))
