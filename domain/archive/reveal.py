"""显示 A resident's phone or ID number shown in full (docs/archive.md §3): only with a reason,
only to whom the rules allow, at most REVEAL_LIMIT times per person an hour, and never without an
audit row of who saw what, when and why, committed with the read. Pure: the rules and the
aggregate; the unit of work writes what it collects."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from domain.errors import DomainError, ErrorCode, forbidden, invalid
from domain.unit_of_work import Aggregate, AuditEntry

REVEAL_LIMIT = 30  # per person and hour: an agent reads numbers one call at a time, a harvester does not
REASON_MIN, REASON_MAX = 2, 200
# A case still open: the assignee still has a visit to arrange.
FINISHED_STATES = frozenset({"closed", "cancelled", "declined"})


class RevealField(StrEnum):
    PHONE = "phone"
    ID_NUMBER = "id_number"


@dataclass(frozen=True)
class CaseOfCaller:
    """What the case rule needs of the case named with a reveal."""

    id: UUID
    reporter_resident_id: UUID | None
    state: str
    assignee_id: UUID | None


@dataclass(kw_only=True)
class SealedResident(Aggregate):
    id: UUID
    project_id: UUID
    phone_sealed: bytes | None  # encrypted at rest (tenants/personal_data.py)
    id_number_sealed: bytes | None

    def reveal(self, field: RevealField, *, reason: str, by: str, case_id: UUID | None = None) -> bytes | None:
        data: dict[str, str] = {"field": field.value, "reason": reason}
        if case_id is not None:
            data["case_id"] = str(case_id)
        self.audit.append(AuditEntry(action="personal_data.revealed", entity="resident", entity_id=self.id,
                                     project_id=self.project_id, data=data, actor=by))
        return self.phone_sealed if field is RevealField.PHONE else self.id_number_sealed


def checked_reason(reason: str) -> str:
    text = " ".join(reason.split())
    if not REASON_MIN <= len(text) <= REASON_MAX:
        raise invalid(f"请填写查看原因（{REASON_MIN}–{REASON_MAX} 个字）。"
                      f"Give a reason of {REASON_MIN} to {REASON_MAX} characters.", "reason")
    return text


def may_reveal_for_case(resident: SealedResident, field: RevealField, case: CaseOfCaller | None, actor: str) -> None:
    """The person rule for those without personal_data:read: the assignee of an open case this
    resident reported may see the phone (to arrange the visit), nothing else."""
    if case is None:
        raise forbidden("您无权查看完整号码；维修人员请从自己的未完成工单查看。"
                        "You need personal_data:read, or give the open case assigned to you.")
    mine = case.assignee_id is not None and actor == f"user:{case.assignee_id}"
    if (field is not RevealField.PHONE or case.reporter_resident_id != resident.id or case.state in FINISHED_STATES
            or not mine):
        raise forbidden("只有该住户未完成工单的处理人可查看其手机号。"
                        "Only the assignee of an open case this resident reported may see their phone.")


def within_limit(revealed_last_hour: int, retry_after: int) -> None:
    if revealed_last_hour >= REVEAL_LIMIT:
        raise DomainError(ErrorCode.RATE_LIMITED, f"一小时内最多查看 {REVEAL_LIMIT} 次完整号码，请稍后再试。"
                                                  f"At most {REVEAL_LIMIT} reveals an hour; try again later.",
                          retry_after=max(retry_after, 1))
