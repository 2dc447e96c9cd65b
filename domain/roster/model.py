"""值班 The duty roster's rules: what a shift may be, and whom dispatch proposes. Pure; the
repository next door reads and writes the shifts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from domain.errors import invalid

MAX_SHIFT = timedelta(hours=24)
PLAN_AHEAD = timedelta(days=366)

# Which department a category's work usually falls to; the rest go to customer service, whose
# people route them on.
CATEGORY_DEPARTMENT: dict[str, str] = {
    "water_power": "engineering", "doors_windows": "engineering", "elevator": "engineering",
    "leakage": "engineering", "facilities": "engineering", "renovation": "engineering",
    "sanitation": "cleaning", "pests": "cleaning", "public_area": "cleaning",
    "safety": "security", "parking": "security", "noise": "security", "pets": "security",
    "greening": "greening",
}


def department_kind_for(category_code: str) -> str:
    return CATEGORY_DEPARTMENT.get(category_code, "customer_service")


def check_shift(starts_at: datetime, ends_at: datetime, *, now: datetime) -> None:
    if ends_at <= starts_at:
        raise invalid("A shift must end after it starts.", "endsAt")
    if ends_at - starts_at > MAX_SHIFT:
        raise invalid("A shift may last at most 24 hours; enter longer duty as several shifts.", "endsAt")
    if ends_at <= now:
        raise invalid("This shift has already ended; the roster plans duty from now on.", "endsAt")
    if starts_at > now + PLAN_AHEAD:
        raise invalid("Shifts can be planned at most a year ahead.", "startsAt")


@dataclass(frozen=True)
class OnDuty:
    """Someone on duty now, with how much they already carry."""

    user_id: UUID
    department_id: UUID
    department_kind: str
    shift_ends_at: datetime
    open_cases: int


def propose(on_duty: list[OnDuty], department_kind: str | None = None) -> list[OnDuty]:
    """Best first: the department the work belongs to, then the lightest load, then the most
    time left on shift (a case dispatched at the end of a shift tends to be handed over)."""
    return sorted(on_duty, key=lambda d: (d.department_kind != department_kind, d.open_cases,
                                          -d.shift_ends_at.timestamp(), str(d.user_id)))
