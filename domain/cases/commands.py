"""What a caller asks of the case use cases, as plain values: parsed from a request, a 12345
order, an inspection's finding or the demo, and checked by the use case itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.cases.model import WrittenReply
from domain.cases.states import CaseKind, Channel, Satisfaction, Severity


@dataclass(frozen=True)
class RegisterCase:
    """登记工单 A new case of a project. The category is either a code of the company's taxonomy,
    checked as a client's choice (it exists, is not archived, takes this kind), or the id of one
    the caller has already chosen under its own rule (a 12345 order's fallback to 其他, an
    inspection item's category)."""

    project_id: UUID
    kind: CaseKind
    severity: Severity
    channel: Channel
    description: str
    category_code: str | None = None
    category_id: UUID | None = None
    unit_id: UUID | None = None  # the flat; its building is read with it
    public_area: str | None = None
    reporter_resident_id: UUID | None = None
    photos: tuple[str, ...] = ()
    received_at: datetime | None = None  # when the request was taken, if before it is entered
    praised_user_ids: tuple[UUID, ...] = ()  # 表扬: the staff a praise names (domain/cases/praise.py)

    def __post_init__(self) -> None:
        if (self.category_code is None) == (self.category_id is None):
            raise ValueError("RegisterCase takes a category code or a category id, not both or neither.")


@dataclass(frozen=True, slots=True)
class ReceiveCase:
    """registerCase: a person registers a case and is its first receiver (首问). The `*_ref`
    fields are the ids as the client sent them (global ids) and `photos_sent` whether it sent a
    photo list at all: a retried idempotency key is matched against the input as it was sent."""

    case: RegisterCase
    receiver_id: UUID
    project_ref: str
    unit_ref: str | None = None
    resident_ref: str | None = None
    photos_sent: bool = False
    praised_refs: tuple[str, ...] = ()
    idempotency_key: str | None = None


# -- the transitions of a case (domain/cases/service.py) ----------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ChangeCase:
    """What every change to a case names: the case (its id, and `case_ref`, the id as the client
    sent it, which a retried idempotency key is matched against), the person acting, the key."""

    case_id: UUID
    case_ref: str
    actor_id: UUID
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CommitCase(ChangeCase):
    due: datetime | None = None  # None: the deadline of the case's SLA policy


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkRepeatCase(ChangeCase):
    earlier_case_id: UUID
    earlier_case_ref: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DispatchCase(ChangeCase):
    """To a person, a department, or (`on_duty`) whoever is on duty — of `department_id` if given."""

    assignee_id: UUID | None = None
    assignee_ref: str | None = None
    department_id: UUID | None = None
    department_ref: str | None = None
    on_duty: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportUndispatchable(ChangeCase):
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AcceptCase(ChangeCase):
    """接单 The assignee (or anyone of the department) takes the case."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StartCase(ChangeCase):
    """到场 Work starts on site."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PauseCase(ChangeCase):
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ResumeCase(ChangeCase):
    """恢复 The clocks run again after a pause."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ResolveCase(ChangeCase):
    result: str
    photos: tuple[str, ...] = ()  # as sent; the first 20 are kept


@dataclass(frozen=True, slots=True, kw_only=True)
class MissPromise(ChangeCase):
    apology: str
    reason: str
    remedy: str
    new_due: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfirmCase(ChangeCase):
    """确认 The resident confirms the work is done."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RejectCase(ChangeCase):
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ReturnVisit(ChangeCase):
    satisfaction: Satisfaction
    score: int
    comment: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class CancelCase(ChangeCase):
    reason: str
    by_resident: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestDecline(ChangeCase):
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ApproveDecline(ChangeCase):
    reply: WrittenReply  # as sent; the first 20 alternatives are kept


@dataclass(frozen=True, slots=True, kw_only=True)
class DenyDecline(ChangeCase):
    note: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviseWrittenReply(ChangeCase):
    reply: WrittenReply  # as sent; the first 20 alternatives are kept
