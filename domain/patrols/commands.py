from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from uuid import UUID


@dataclass(frozen=True, slots=True)
class CreateRoute:
    project_id: UUID
    name: str
    kind: str
    department_id: UUID | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class AddPoint:
    route_id: UUID
    name: str
    place: str = ""
    building_id: UUID | None = None
    checks: tuple[str, ...] = ()
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class CreatePlan:
    route_id: UUID
    assignee_user_id: UUID | None
    department_id: UUID | None
    cadence: str
    window_start: time
    window_minutes: int
    starts_on: date
    ends_on: date | None = None
    weekdays: tuple[int, ...] = ()
    month_days: tuple[int, ...] = ()
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class Talk:
    unit_id: UUID | None
    resident_id: UUID | None
    note: str


@dataclass(frozen=True, slots=True)
class RecordVisit:
    run_id: UUID
    point_token: str | None  # scanned (or typed) from the point's QR code
    point_id: UUID | None  # tapped in a list
    result: str
    note: str = ""
    photos: tuple[str, ...] = ()
    talk: Talk | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class RunStep:
    """startPatrolRun, finishPatrolRun."""
    run_id: UUID
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateRoute:
    """What is given changes; None keeps it (clear_department drops the department)."""
    route_id: UUID
    name: str | None = None
    kind: str | None = None
    department_id: UUID | None = None
    clear_department: bool = False
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class UpdatePoint:
    point_id: UUID
    name: str | None = None
    place: str | None = None
    building_id: UUID | None = None
    clear_building: bool = False
    checks: tuple[str, ...] | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class UpdatePlan:
    """The whole schedule as it shall be from now on (the console sends what it shows)."""
    plan_id: UUID
    assignee_user_id: UUID | None
    department_id: UUID | None
    cadence: str
    window_start: time
    window_minutes: int
    starts_on: date
    ends_on: date | None = None
    weekdays: tuple[int, ...] = ()
    month_days: tuple[int, ...] = ()
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class SetActive:
    """setPatrolRouteActive, setPatrolPointActive, setPatrolPlanActive."""
    id: UUID
    active: bool
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class CancelRun:
    run_id: UUID
    reason: str
    idempotency_key: str | None = None
