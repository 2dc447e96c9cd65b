"""The unit of work: one use case, one tenant transaction. It owns the transaction (database
refusals become coded errors), the caller's idempotency key, and the records of what changed: the
audit rows and outbox events that aggregates collected are written at commit, in the same
transaction as the change, so that a change, its audit row and its event commit together or not
at all. No caller writes them by hand.

It knows the caller only as plain values (company, tenant scope, actor label, a permission check),
so a worker or a test uses it as the API does:

    async with uow:
        if (done := await uow.claim(cmd.idempotency_key, "acknowledgeAlert", {...})) is not None:
            return done                       # the same key again: the first result, nothing written
        alert = await AlertRepository(uow).get(cmd.alert_id)
        uow.require(Permission.ALERT_HANDLE, alert.project_id)
        alert.acknowledge(by=uow.actor)       # the rule; collects the audit entry and event
        await AlertRepository(uow).save(alert)
        return await uow.commit({"id": str(alert.id)})

Leaving the block without `commit` rolls everything back (a refusal writes nothing)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Protocol
from uuid import UUID

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.errors import DomainError, ErrorCode, from_platform, not_found
from domain.events import Event
from domain.outbox import Remembered, write_records
from tenants import idempotency
from tenants.context import TenantScope
from tenants.db_errors import translate
from tenants.errors import PlatformError
from tenants.roles import Permission


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One audit row, as an aggregate records it; the unit of work adds the company and, unless
    the entry names one, the actor."""

    action: str
    entity: str
    entity_id: UUID | None
    project_id: UUID | None = None
    from_state: str | None = None
    to_state: str | None = None
    note: str | None = None
    data: dict[str, Any] | None = None
    actor: str | None = None
    event_id: UUID | None = None  # the event this row records, when the change announced one


@dataclass(kw_only=True)
class Aggregate:
    """What an aggregate collects while its rules run; the unit of work drains it at commit."""

    events: list[Event] = field(default_factory=list, repr=False, compare=False)
    audit: list[AuditEntry] = field(default_factory=list, repr=False, compare=False)


class Transactions(Protocol):
    """Where tenant transactions come from: `tenants.platform.Platform` (or a test's stand-in)."""

    def transaction(self, scope: TenantScope | None) -> AbstractAsyncContextManager[AsyncConnection]: ...


class Joined:
    """The transaction a caller already holds, for a use case that must commit with it (a signed
    inbound request commits its receipt beside the change; a sweep step commits with its batch).
    The unit of work runs in a savepoint of it: `commit` releases the savepoint, leaving without
    it rolls back only this use case's work. The tenant wall is the held transaction's.

    `savepoint=False` where the use case is all the held transaction does besides its own mark (an
    event consumer's processed mark, an inbound request's receipt): a refusal ends the whole
    transaction anyway, so the savepoint's two round trips buy nothing. There the use case must
    commit or raise; leaving quietly without `commit` is refused, since nothing could undo it."""

    def __init__(self, conn: AsyncConnection, *, savepoint: bool = True) -> None:
        self._conn = conn
        self._savepoint = savepoint

    @asynccontextmanager
    async def transaction(self, scope: TenantScope | None) -> AsyncIterator[AsyncConnection]:
        if not self._savepoint:
            try:
                yield self._conn
            except _RolledBack:
                raise RuntimeError("A unit of work joined without a savepoint left without commit or error; "
                                   "its writes could not be undone.") from None
            return
        # Plain SQL, as tenants/db.py opens the transaction itself on the driver (AUTOCOMMIT there).
        await self._conn.exec_driver_sql("SAVEPOINT unit_of_work")
        try:
            yield self._conn
        except BaseException:
            await self._conn.exec_driver_sql("ROLLBACK TO SAVEPOINT unit_of_work")
            raise
        await self._conn.exec_driver_sql("RELEASE SAVEPOINT unit_of_work")


# permission, project (None: company-wide) -> allowed
May = Callable[[Permission, UUID | None], bool]


class _RolledBack(Exception):
    """Thrown into the transaction to end it without committing."""


class UnitOfWork:
    conn: AsyncConnection

    def __init__(self, transactions: Transactions, *, org_id: UUID, actor: str, scope: TenantScope | None,
                 may: May | None = None) -> None:
        """`may` answers the caller's permissions; None is a part of the system acting on its own
        (a worker), which the permission checks let through. The tenant scope walls it all the same."""
        self._transactions = transactions
        self.org_id = org_id
        self.actor = actor
        self.scope = scope
        self._may = may
        self._seen: list[Aggregate] = []
        self._last: list[Callable[[], Awaitable[None]]] = []
        self._key: str | None = None
        self._tx: AbstractAsyncContextManager[AsyncConnection] | None = None
        self._used = False

    async def __aenter__(self) -> UnitOfWork:
        if self._used:
            raise RuntimeError("A unit of work runs once; make a new one for the next use case.")
        self._used = True
        self._tx = self._transactions.transaction(self.scope)
        self.conn = await self._tx.__aenter__()
        return self

    async def __aexit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        tx, self._tx = self._tx, None
        if tx is not None:  # not committed: roll back, with the error that ended the block or a quiet stand-in
            await tx.__aexit__(kind or _RolledBack, exc or _RolledBack(), tb)
        if isinstance(exc, DBAPIError) and (error := translate(exc)) is not None:
            raise from_platform(error) from exc

    def require(self, permission: Permission, project_id: UUID | None = None, field: str = "projectId") -> None:
        """The caller must hold `permission` on this project (or company-wide when None). A project
        outside the caller's reach is NOT_FOUND, as one of another company is."""
        if project_id is not None and self.scope is not None and not self.scope.allows(project_id):
            raise not_found("The project", field, zh="项目")
        if self._may is not None and not self._may(permission, project_id):
            where = "this project" if project_id else "the whole company"
            raise DomainError(ErrorCode.FORBIDDEN, f"您需要权限 {permission.value}。You need {permission.value} on {where}.")

    def may(self, permission: Permission, project_id: UUID | None = None) -> bool:
        """Whether the caller holds `permission` there, for a rule that depends on it (a part of the
        system acting on its own does)."""
        return self._may is None or self._may(permission, project_id)

    def is_user(self, user_id: UUID | None) -> bool:
        """Whether the caller is this person, signed in as themselves (a key or the system is nobody;
        no one is the None of an unassigned owner)."""
        return self.actor == f"user:{user_id}"

    def owner_or_may(self, owner_user_id: UUID | None, permission: Permission, project_id: UUID) -> bool:
        """The rule "its owner, or a holder of `permission` on the project" (an action's or a hazard's
        owner completing it); the caller raises its own refusal."""
        return self.is_user(owner_user_id) or self.may(permission, project_id)

    async def claim(self, key: str | None, operation: str, request: dict[str, Any]) -> dict[str, Any] | None:
        """None: go ahead. A dict: this key already did this; return that result and write nothing.
        The key row is claimed in this transaction, so a refusal leaves no key behind."""
        if key is None:
            return None
        try:
            replay = await idempotency.claim(self.conn, org_id=self.org_id, principal=self.actor, key=key,
                                             operation=operation, payload=request)
        except PlatformError as e:  # the key reused with other input, or not a key at all
            raise from_platform(e) from e
        if replay is None:
            self._key = key
        return replay

    def track(self, aggregate: Aggregate) -> None:
        """Repositories call this for what they load, so its records are written at commit."""
        if not any(a is aggregate for a in self._seen):
            self._seen.append(aggregate)

    def record(self, event: Event) -> None:
        """An event of no aggregate (a delivery to send, an alert raised, a clock's escalation),
        written at commit in its place among what the aggregates collected: after those tracked
        before it, before those tracked after."""
        self._seen.append(Aggregate(events=[event]))

    def at_commit(self, step: Callable[[], Awaitable[None]]) -> None:
        """A statement for the very end of the transaction: `commit` runs the steps in the order
        given, before the collected audit rows and events are written with the idempotency result
        (so they may carry what a step learns), then commits. For a row lock
        that many transactions queue on, held this way only for the step, those writes and the
        commit: a 12345 order takes its case's number so (domain/gov/service.py). Leaving without
        `commit` drops the steps with the rest."""
        self._last.append(step)

    async def commit(self, result: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run the steps left for the end (`at_commit`), write what the aggregates collected and
        `result` for the idempotency key (small JSON, ids — never secrets: it is kept 48 hours) in
        one statement, and commit. A database refusal on the way leaves the block, which rolls back and
        turns it into a coded error."""
        if self._tx is None:
            raise RuntimeError("commit outside an open unit of work")
        result = result if result is not None else {}
        while self._last:
            await self._last.pop(0)()
        remembered = Remembered(self.actor, self._key, result) if self._key is not None else None
        await _write_collected(self.conn, self._seen, org_id=self.org_id, actor=self.actor, remembered=remembered)
        tx, self._tx = self._tx, None
        await tx.__aexit__(None, None, None)  # COMMIT
        return result


async def _write_collected(conn: AsyncConnection, seen: list[Aggregate], *, org_id: UUID, actor: str,
                           remembered: Remembered | None) -> None:
    """Writes what the aggregates collected — each one's audit rows, then its events in the order
    they happened — and the key's result in one statement, and forgets them. Only the unit of work
    calls it, at commit."""
    audit: list[dict[str, Any]] = []
    events: list[Event] = []
    for aggregate in seen:
        audit += [{"project_id": e.project_id, "actor": e.actor or actor, "action": e.action, "entity": e.entity,
                   "entity_id": e.entity_id, "from_state": e.from_state, "to_state": e.to_state, "note": e.note,
                   "data": e.data, "event_id": e.event_id} for e in aggregate.audit]
        events += aggregate.events
        aggregate.audit.clear()
        aggregate.events.clear()
    await write_records(conn, org_id=org_id, audit=audit, events=events, remembered=remembered)
