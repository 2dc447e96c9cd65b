"""Errors a client can act on: the business's refusals, each with a stable code. `DomainError`
builds on the platform's refusal (`tenants/errors.py`), so one handler answers both; the unit of
work turns a platform refusal met inside a use case into a `DomainError` with the same code."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from tenants.errors import PlatformError


class ErrorCode(StrEnum):
    # The generic codes, the platform's too (tenants.errors.PlatformCode, same names and values).
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    VALIDATION = "VALIDATION"
    CONFLICT = "CONFLICT"
    # A case command that its current state does not allow (e.g. resolving a closed case).
    INVALID_STATE = "INVALID_STATE"
    # Dispatch to whoever is on duty found nobody: the case stays open and has escalated.
    NOBODY_ON_DUTY = "NOBODY_ON_DUTY"
    # A time outside the window the input accepts (e.g. a receivedAt more than 24 h ago).
    OUT_OF_WINDOW = "OUT_OF_WINDOW"
    # A new case under a category the company archived: choose one of caseCategories.
    CATEGORY_ARCHIVED = "CATEGORY_ARCHIVED"
    # A statement the database stopped at its timeout; the API's own limits on a document use
    # the same code on the wire.
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    # Too many of one thing in a window (a person revealing personal data); `retry_after` says when.
    # The wire already had it for sign-ins and slow subscribers (api/errors.py), so clients know it.
    RATE_LIMITED = "RATE_LIMITED"
    # The database could not serve the request (tenants/db_errors.py `unavailable`): retry it.
    UNAVAILABLE = "UNAVAILABLE"


class ErrorReason(StrEnum):
    """Finer than a code, where a client would branch on it. The code stays what it always was
    (clients that know only INVALID_STATE keep working); the reason says which state refused."""

    ALERT_ALREADY_ACKNOWLEDGED = "ALERT_ALREADY_ACKNOWLEDGED"
    ALERT_ALREADY_RESOLVED = "ALERT_ALREADY_RESOLVED"
    # The archive (docs/archive.md §5.2): a natural key already on file (CONFLICT) …
    BUILDING_EXISTS = "BUILDING_EXISTS"
    UNIT_EXISTS = "UNIT_EXISTS"
    RESIDENT_EXISTS = "RESIDENT_EXISTS"
    OCCUPANCY_EXISTS = "OCCUPANCY_EXISTS"
    CONTACT_EXISTS = "CONTACT_EXISTS"
    SPACE_EXISTS = "SPACE_EXISTS"
    PLATE_EXISTS = "PLATE_EXISTS"
    PET_EXISTS = "PET_EXISTS"
    # A staff member of the project already has this phone number (the import matches staff by it).
    STAFF_EXISTS = "STAFF_EXISTS"
    # Another import of the project holds its lock (docs/archive.md §6.3), or is queued or running
    # (importArchive, §6.4): try again when it ends.
    IMPORT_RUNNING = "IMPORT_RUNNING"
    # … and a record whose state refuses the edit (INVALID_STATE).
    ALREADY_MOVED_OUT = "ALREADY_MOVED_OUT"
    RESIDENT_ERASED = "RESIDENT_ERASED"
    # The directory: an org admin's role that may not be taken back (INVALID_STATE).
    LAST_ORG_ADMIN = "LAST_ORG_ADMIN"
    OWN_ADMIN_ROLE = "OWN_ADMIN_ROLE"
    # Resident sign-in (docs/resident-services.md §2.1): nobody on file matches (NOT_FOUND).
    NO_RESIDENT = "NO_RESIDENT"
    # A resident's rating when their project has turned it off (FORBIDDEN).
    RESIDENT_RATING_OFF = "RESIDENT_RATING_OFF"
    # Fees (docs/resident-services.md §9.2).
    BILLING_RUNNING = "BILLING_RUNNING"
    CHARGE_ITEM_EXISTS = "CHARGE_ITEM_EXISTS"
    BILL_NOT_OPEN = "BILL_NOT_OPEN"
    BILL_HAS_PAYMENTS = "BILL_HAS_PAYMENTS"
    PAYMENT_REVERSED = "PAYMENT_REVERSED"
    # Clearing a payment that is not (or no longer) marked OVERPAID.
    PAYMENT_NOT_OVERPAID = "PAYMENT_NOT_OVERPAID"
    # An integrator's transaction (or refund) id already notified with another amount or flat (CONFLICT).
    TRANSACTION_MISMATCH = "TRANSACTION_MISMATCH"
    # A telephony integration's call id already told us with other facts (CONFLICT, 409).
    CALL_MISMATCH = "CALL_MISMATCH"
    # Notices (docs/resident-services.md §5.2): a step its state refuses (INVALID_STATE) …
    NOTICE_NOT_DRAFT = "NOTICE_NOT_DRAFT"
    NOTICE_NOT_PENDING = "NOTICE_NOT_PENDING"
    NOTICE_ALREADY_WITHDRAWN = "NOTICE_ALREADY_WITHDRAWN"
    # … and approving one's own notice (FORBIDDEN): four eyes, except emergencies and outages.
    SAME_AUTHOR = "SAME_AUTHOR"
    # Surveys (docs/resident-services.md §7.2): a flat's second response (CONFLICT), a step its
    # campaign's state refuses (INVALID_STATE).
    ALREADY_ANSWERED = "ALREADY_ANSWERED"
    CAMPAIGN_NOT_DRAFT = "CAMPAIGN_NOT_DRAFT"
    CAMPAIGN_NOT_OPEN = "CAMPAIGN_NOT_OPEN"
    # Patrols (docs/centre-day.md §2.1): a visit or step outside the run's window (OUT_OF_WINDOW).
    PATROL_CLOSED = "PATROL_CLOSED"
    # A plan's dates that do not make a span: its end before its start, or a new end already past (VALIDATION).
    PATROL_PLAN_DATES = "PATROL_PLAN_DATES"
    # A point added to the route after the run was started: not part of that run (INVALID_STATE).
    PATROL_POINT_NOT_IN_RUN = "PATROL_POINT_NOT_IN_RUN"
    # 受表扬员工 changed on a case that is not a praise (INVALID_STATE).
    NOT_A_PRAISE = "NOT_A_PRAISE"
    # Shift handover (docs/centre-day.md §4): a second open log of a department (CONFLICT); a
    # handed-over log, or one not yet acknowledged by the writer (INVALID_STATE).
    SHIFT_OPEN = "SHIFT_OPEN"
    SHIFT_HANDED_OVER = "SHIFT_HANDED_OVER"
    HANDOVER_NOT_ACKNOWLEDGED = "HANDOVER_NOT_ACKNOWLEDGED"


class DomainError(PlatformError):
    code: ErrorCode

    def __init__(self, code: ErrorCode, message: str, field: str | None = None, *, retry_after: int | None = None,
                 reason: ErrorReason | None = None, existing: tuple[str, UUID] | None = None) -> None:
        super().__init__(code, message, field, retry_after=retry_after)
        self.reason = reason
        # With CONFLICT: the record already on file, as (its type's name, its id), so a client can open it.
        self.existing = existing


def from_platform(error: PlatformError) -> DomainError:
    """The platform's refusal as the domain says it: same code, message and field."""
    if isinstance(error, DomainError):
        return error
    return DomainError(ErrorCode(error.code.value), error.message, error.field, retry_after=error.retry_after)


def not_found(what: str, field: str | None = None, *, zh: str | None = None) -> DomainError:
    """`what` names the thing in English ("The case"), `zh` in Chinese ("工单"): staff read the
    Chinese first, an integrator the English beside it."""
    english = f"{what} was not found or is not visible to you."
    return DomainError(ErrorCode.NOT_FOUND, f"{zh}不存在或您无权查看。{english}" if zh else english, field)


def invalid(message: str, field: str | None = None) -> DomainError:
    return DomainError(ErrorCode.VALIDATION, message, field)


def conflict(message: str, field: str | None = None) -> DomainError:
    return DomainError(ErrorCode.CONFLICT, message, field)


def forbidden(message: str = "您无权执行此操作。You do not have permission to do this.") -> DomainError:
    return DomainError(ErrorCode.FORBIDDEN, message)
