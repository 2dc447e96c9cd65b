"""What a caller asks of the company's directory. Ids are parsed before a command is made; the
rules (domain/directory/rules.py) check the rest inside the use case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.directory.rules import ProjectInput
from tenants.roles import Permission, Role


@dataclass(frozen=True, slots=True)
class CreateProject:
    project: ProjectInput
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class CreateStaff:
    name: str
    project_id: UUID | None = None  # None: headquarters staff
    department_id: UUID | None = None
    title: str = ""
    phone: str | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class CreateUser:
    username: str
    display_name: str
    password: str
    staff_id: UUID | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class AssignRole:
    user_id: UUID
    role: Role
    project_id: UUID | None = None  # None: a company-wide role
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class RevokeRole:
    assignment_id: UUID
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class CreateApiKey:
    """No idempotency key: the secret is shown once and never stored, so a retry cannot answer it."""

    name: str
    access: str  # read | read_write
    project_ids: list[UUID] | None = None  # None: every project
    expires_at: datetime | None = None
    permissions: list[Permission] | None = None  # None: what the access gives
    created_by: UUID | None = None  # the login that asks, when a person does


@dataclass(frozen=True, slots=True)
class RevokeApiKey:
    key_id: UUID
    idempotency_key: str | None = None
