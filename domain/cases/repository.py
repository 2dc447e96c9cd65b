"""Cases in PostgreSQL. The repository loads a case for change (locked for the transaction),
stores it, and turns each new transition into an audit entry and an outbox event, with what it
does to the SLA clocks — all inside the caller's transaction, so a state change never commits
without its record.
It collects the audit rows and events on the case; the unit of work it is made from writes them
at commit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.cases.model import Case, Transition
from domain.cases.states import CaseKind, Channel, Satisfaction, Severity, State
from domain.events import Event
from domain.sla.calendar import CHINA
from domain.sla.repository import SlaRecorder
from domain.unit_of_work import AuditEntry, UnitOfWork
from tenants import direct


@dataclass(frozen=True)
class Intake:
    """What the case is about, beyond the state the rules need."""

    category_id: UUID
    description: str
    building_id: UUID | None = None
    unit_id: UUID | None = None
    public_area: str | None = None
    reporter_resident_id: UUID | None = None
    reporter_staff_id: UUID | None = None
    photos: tuple[str, ...] = ()
    registered_at: datetime | None = None  # when it was entered, if later than it was taken


# A project's number of the day is taken by COMMIT itself. The counter row is locked from then to
# the end of the transaction, and every other registration into the project that day queues on it;
# taken before the case's own writes it serialised the project's whole intake, and taken by a
# statement before COMMIT it stayed locked across the round trips that followed. So the case is
# inserted under a stand-in number (`~<id>`: unique, never seen outside its transaction) and a
# deferred trigger numbers it at commit, writing the number into the case's events too
# (migrations/versions/0059_case_number_at_commit.py). Numbers stay gapless and unique: the counter
# moves in the committing transaction, so one that fails returns its number.
_TAKE_NUMBER = text("SELECT case_number_take(:o, :id)")
_INSERT = text(
    "INSERT INTO cases (org_id, project_id, id, number, kind, severity, channel, category_id, building_id, unit_id, "
    "public_area, reporter_resident_id, reporter_staff_id, first_receiver_id, description, photos, state, received_at, registered_at) "
    "VALUES (:org_id, :project_id, :id, :number, :kind, :severity, :channel, :category_id, :building_id, :unit_id, "
    ":public_area, :reporter_resident_id, :reporter_staff_id, :first_receiver_id, :description, :photos, :state, :received_at, "
    "coalesce(CAST(:registered_at AS timestamptz), :received_at))"
)
# The columns the rules change; everything else is written once, at intake.
_STATE_COLUMNS = (
    "state", "commitment_due", "assignee_id", "department_id", "handler_id", "paused_since", "paused_seconds",
    "resolved_at", "confirmed_at", "auto_confirmed", "reopen_count", "rework_level", "broken_promises", "repeat_of",
    "decline_from", "satisfaction", "visit_score", "visited_by", "visit_channel",
)
_UPDATE = text(
    "UPDATE cases SET " + ", ".join(f"{c} = :{c}" for c in _STATE_COLUMNS) + ", updated_at = now() "
    "WHERE org_id = :org_id AND id = :id"
)
_PROJECT_OF = text("SELECT project_id FROM cases WHERE org_id = :o AND id = :id")
_SELECT = text(
    "SELECT org_id, project_id, id, kind, severity, channel, first_receiver_id, received_at, "
    + ", ".join(_STATE_COLUMNS) + " FROM cases WHERE org_id = :o AND id = :id FOR NO KEY UPDATE"
)
# NO KEY UPDATE, not UPDATE: transitions still queue behind each other, but the scanner's escalation
# rows (whose foreign key takes KEY SHARE on the case) are not held up by a transition — which,
# holding the case, then waits on the scanner's locked timers: a deadlock both ways.


_REPLY_TOPICS = ("case.declined", "case.reply_revised")


# Case numbers count China's days: a call at 01:00 Beijing time belongs to that day, not the UTC one before.


def business_day(at: datetime) -> date:
    return at.astimezone(CHINA).date()


def case_number(project_code: str, day: date, n: int) -> str:
    """As case_number_take makes it in the database, for data written in bulk (the demo's history)."""
    return f"GD-{project_code}-{day:%Y%m%d}-{n:04d}"


def stand_in(case_id: UUID) -> str:
    """A new case's number until its transaction commits."""
    return f"~{case_id}"


class CaseRepository:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self.conn: AsyncConnection = uow.conn
        # In a resident's unit of work every audit row names the resident (`resident:<id>`): the
        # timeline says who asked, and the resident role may write no other actor.
        resident = uow.scope is not None and uow.scope.resident_id is not None
        self._audit_actor: str | None = uow.actor if resident else None

    async def add(self, case: Case, intake: Intake, *, sla_context: Mapping[str, Any] | None = None) -> None:
        """Stores a new case and its registration under its stand-in number; the number is taken
        as the transaction commits (see _TAKE_NUMBER), into the case's row and its events.
        `sla_context`: the SLA context of its clocks, if read already (SlaRecorder)."""
        # A registration's statements go past SQLAlchemy (tenants/direct.py): they run on every one.
        await direct.run(self.conn, _INSERT, {
            "org_id": case.org_id, "project_id": case.project_id, "id": case.id, "number": stand_in(case.id),
            "kind": case.kind.value, "severity": case.severity.value, "channel": case.channel.value,
            "category_id": intake.category_id, "building_id": intake.building_id, "unit_id": intake.unit_id,
            "public_area": intake.public_area, "reporter_resident_id": intake.reporter_resident_id,
            "reporter_staff_id": intake.reporter_staff_id, "first_receiver_id": case.first_receiver_id,
            "description": intake.description, "photos": list(intake.photos), "state": case.state.value,
            "received_at": case.received_at, "registered_at": intake.registered_at,
        })
        await self._record(case, {"number": stand_in(case.id)}, new=True, sla_context=sla_context)

    async def take_number(self, case_id: UUID) -> str:
        """A new case's number now, for a use case that must know it before it commits: only in
        its last step (UnitOfWork.at_commit), as the counter stays locked from here to COMMIT."""
        taken: str | None = await direct.scalar(self.conn, _TAKE_NUMBER, {"o": self._uow.org_id, "id": case_id})
        if taken is None:
            raise RuntimeError(f"the new case {case_id} was not there to number")
        return taken

    async def project_of(self, case_id: UUID) -> UUID | None:
        """The project of a case the caller can see, without locking it; None if it cannot."""
        project_id: UUID | None = (await self.conn.execute(_PROJECT_OF, {"o": self._uow.org_id, "id": case_id})).scalar_one_or_none()
        return project_id

    async def get_for_update(self, case_id: UUID) -> Case | None:
        """The case, locked until the transaction ends; None if it is not visible."""
        row = (await self.conn.execute(_SELECT, {"o": self._uow.org_id, "id": case_id})).first()
        if row is None:
            return None
        return Case(
            id=row.id, org_id=row.org_id, project_id=row.project_id, kind=CaseKind(row.kind),
            severity=Severity(row.severity), channel=Channel(row.channel), first_receiver_id=row.first_receiver_id,
            received_at=row.received_at, state=State(row.state), commitment_due=row.commitment_due,
            assignee_id=row.assignee_id, department_id=row.department_id, handler_id=row.handler_id,
            paused_since=row.paused_since, paused_total=timedelta(seconds=row.paused_seconds),
            resolved_at=row.resolved_at, confirmed_at=row.confirmed_at, auto_confirmed=row.auto_confirmed,
            reopen_count=row.reopen_count, rework_level=row.rework_level, broken_promises=row.broken_promises,
            repeat_of=row.repeat_of, decline_from=State(row.decline_from) if row.decline_from else None,
            satisfaction=Satisfaction(row.satisfaction) if row.satisfaction else None, visit_score=row.visit_score,
            visited_by=row.visited_by, visit_channel=row.visit_channel,
        )

    async def save(self, case: Case) -> list[Event]:
        values = {c: getattr(case, c, None) for c in _STATE_COLUMNS}
        values.update(
            state=case.state.value, paused_seconds=int(case.paused_total.total_seconds()),
            decline_from=case.decline_from.value if case.decline_from else None,
            satisfaction=case.satisfaction.value if case.satisfaction else None,
            org_id=case.org_id, id=case.id,
        )
        await self.conn.execute(_UPDATE, values)
        replied = [t for t in case.transitions if t.topic in _REPLY_TOPICS]
        if case.written_reply is not None and replied:
            await self._store_reply(case, replied[-1])
        return await self._record(case, {})

    async def _store_reply(self, case: Case, replied: Transition) -> None:
        """Each reply is a new version; earlier ones stay as they were sent."""
        reply = case.written_reply
        assert reply is not None
        await self.conn.execute(text(
            "INSERT INTO written_replies (org_id, project_id, case_id, version, reason, basis, alternatives, created_by) "
            "SELECT :o, :p, :c, coalesce(max(version), 0) + 1, :r, :b, :a, :by FROM written_replies "
            "WHERE org_id = :o AND case_id = :c"),
            {"o": case.org_id, "p": case.project_id, "c": case.id, "r": reply.reason, "b": reply.basis,
             "a": list(reply.alternatives), "by": replied.actor_id})

    async def _record(self, case: Case, extra: dict[str, Any], *, new: bool = False,
                      sla_context: Mapping[str, Any] | None = None) -> list[Event]:
        """Each transition not yet stored: an audit entry, an outbox event, and what it does to the
        SLA clocks. Then forgets them.

        A transition's own event comes before the events it causes (an escalation, a missing
        calendar), so the outbox, the live feed and the consumers see them in cause-then-effect order.
        `new`: the case was inserted just now, so its clocks have nothing to look up (SlaRecorder)."""
        self._uow.track(case)
        sla = SlaRecorder(self.conn, announce=case.events.append, new_case=new, context=sla_context)
        events: list[Event] = []
        for t in case.transitions:
            case.audit.append(AuditEntry(
                action=t.topic, entity="case", entity_id=case.id, project_id=case.project_id,
                actor=self._audit_actor or (f"user:{t.actor_id}" if t.actor_id else "system"),
                from_state=t.from_state.value if t.from_state else None, to_state=t.to_state.value, note=t.note, data=t.data,
            ))
            event = Event(topic=t.topic, org_id=case.org_id, project_id=case.project_id, payload=_payload(case, t, extra))
            case.events.append(event)
            events.append(event)
            await sla.follow(case, [t])
        case.transitions.clear()
        return events


def _payload(case: Case, t: Transition, extra: dict[str, Any]) -> dict[str, Any]:
    return {"case_id": str(case.id), "kind": case.kind.value, "severity": case.severity.value,
            "channel": case.channel.value, "from": t.from_state.value if t.from_state else None,
            "to": t.to_state.value, "actor_id": str(t.actor_id) if t.actor_id else None,
            "at": t.at.isoformat(), "note": t.note, **t.data, **extra}
