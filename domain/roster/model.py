"""值班 The duty roster's rules: what a shift may be, and whom dispatch proposes. Pure; the
repository next door reads and writes the shifts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from domain.errors import invalid
from domain.unit_of_work import Aggregate, AuditEntry

MAX_SHIFT = timedelta(hours=24)
SHIFT_KINDS = ("dispatch", "reception")
# Who may take a reception shift: the people who can answer for the project at the front desk.
RECEPTION_ROLES = ("project_manager", "cs_supervisor")
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
        raise invalid("班次结束时间须晚于开始时间。A shift must end after it starts.", "endsAt")
    if ends_at - starts_at > MAX_SHIFT:
        raise invalid("一个班次最长 24 小时；更长的值班请分成多个班次。"
                      "A shift may last at most 24 hours; enter longer duty as several shifts.", "endsAt")
    if ends_at <= now:
        raise invalid("此班次已结束；值班表只安排今后的值班。This shift has already ended; the roster plans duty from now on.", "endsAt")
    if starts_at > now + PLAN_AHEAD:
        raise invalid("值班最多提前一年安排。Shifts can be planned at most a year ahead.", "startsAt")


@dataclass(kw_only=True)
class Shift(Aggregate):
    """排班 One person on duty for one department of a project; added whole, removed whole."""

    id: UUID
    project_id: UUID
    department_id: UUID
    user_id: UUID
    starts_at: datetime
    ends_at: datetime
    kind: str = "dispatch"

    @classmethod
    def plan(cls, *, project_id: UUID, department_id: UUID, user_id: UUID, starts_at: datetime, ends_at: datetime,
             now: datetime, kind: str = "dispatch") -> Shift:
        if kind not in SHIFT_KINDS:
            raise invalid("未知的班次类型。Unknown kind of shift.", "kind")
        check_shift(starts_at, ends_at, now=now)
        shift = cls(id=uuid4(), project_id=project_id, department_id=department_id, user_id=user_id,
                    starts_at=starts_at, ends_at=ends_at, kind=kind)
        shift.audit.append(AuditEntry(action="duty_shift.added", entity="duty_shift", entity_id=shift.id,
                                      project_id=project_id,
                                      data={"user_id": user_id, "department_id": department_id, "kind": kind,
                                            "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()}))
        return shift

    def remove(self) -> None:
        self.audit.append(AuditEntry(action="duty_shift.removed", entity="duty_shift", entity_id=self.id,
                                     project_id=self.project_id,
                                     data={"user_id": self.user_id, "starts_at": self.starts_at.isoformat(),
                                           "ends_at": self.ends_at.isoformat()}))


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
