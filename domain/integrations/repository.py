"""A kind of signed integration's rows in PostgreSQL, its statements made from its table's name
and own columns. Every statement names the company; row-level security walls it to the caller's
projects (an inbound request's wall is its integration's project)."""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple
from uuid import UUID

from sqlalchemy import TextClause, text

from domain.integrations.kinds import IntegrationKind
from domain.unit_of_work import UnitOfWork

_PROJECT = text("SELECT 1 FROM projects WHERE org_id = :o AND id = :p")


class _Statements(NamedTuple):
    insert: TextClause
    locked: TextClause
    save: TextClause
    touch: TextClause


@cache
def _statements(kind: IntegrationKind) -> _Statements:
    table, own = kind.table, "".join(f", {column}" for column in kind.columns)
    return _Statements(
        insert=text(f"INSERT INTO {table} (org_id, project_id, id, name, secret_enc{own}, created_by) "
                    f"VALUES (:o, :p, :id, :name, :secret{''.join(f', :{c}' for c in kind.columns)}, :by)"),
        locked=text(f"SELECT id, project_id, name, secret_enc, active{own} FROM {table} WHERE org_id = :o AND id = :id "
                    "FOR UPDATE"),
        save=text(f"UPDATE {table} SET active = :active, secret_enc = :secret, updated_at = now() "
                  "WHERE org_id = :o AND id = :id"),
        touch=text(f"UPDATE {table} SET last_used_at = now() WHERE org_id = :o AND id = :id"))


def find_statement(kind: IntegrationKind) -> TextClause:
    """For the signed inbound path (api/inbound/signed.py): which company and project an id belongs
    to, across the wall and nothing more."""
    return text(f"SELECT org_id, project_id FROM {kind.entity}_tenant(:id)")


def secret_statement(kind: IntegrationKind) -> TextClause:
    """Then the secret and whether it is switched on, read inside the wall."""
    return text(f"SELECT secret_enc, active FROM {kind.table} WHERE org_id = :o AND id = :id")


class IntegrationRows:
    """The integrations of one kind; a domain's own repository extends it with what its
    integrations send."""

    def __init__(self, uow: UnitOfWork, kind: IntegrationKind) -> None:
        self._uow = uow
        self._org = uow.org_id
        self._kind = kind

    async def _one(self, stmt: Any, **params: Any) -> Any:
        return (await self._uow.conn.execute(stmt, {"o": self._org, **params})).first()

    async def project_exists(self, project_id: UUID) -> bool:
        return await self._one(_PROJECT, p=project_id) is not None

    async def add(self, made: Any) -> None:
        self._uow.track(made)
        own = {column: getattr(made, column) for column in self._kind.columns}
        await self._uow.conn.execute(_statements(self._kind).insert, {
            "o": self._org, "p": made.project_id, "id": made.id, "name": made.name, "secret": made.secret_enc,
            "by": self._uow.actor, **own})

    async def locked(self, integration_id: UUID) -> Any:
        return await self._one(_statements(self._kind).locked, id=integration_id)

    async def save(self, made: Any) -> None:
        await self._uow.conn.execute(_statements(self._kind).save,
                                     {"o": self._org, "id": made.id, "active": made.active, "secret": made.secret_enc})

    async def touch(self, integration_id: UUID) -> None:
        await self._uow.conn.execute(_statements(self._kind).touch, {"o": self._org, "id": integration_id})
