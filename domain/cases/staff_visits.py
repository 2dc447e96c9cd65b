"""投诉回访员工 A return visit to a member of staff a complaint was about (docs/centre-day.md §7).

- Only a complaint's people are visited this way; other cases have the resident's return visit.
- The visitor is never the person visited: hearing someone's side is another's job, as a return
  visit is never the handler's (DESIGN §3 rule 7).
- The person visited works in the case's project (a role there, or company-wide).
- Outcome: 已认识问题 acknowledged, 有异议 disputed, 已辅导 coached; a note of what was said.
- Event `case.staff_visited`: the `kpi` consumer recounts the case's month, whose people's figures
  count the visits each person received.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.cases import staff_visit_repository as repository
from domain.errors import DomainError, ErrorCode, invalid
from domain.events import Event
from domain.unit_of_work import Aggregate, AuditEntry, UnitOfWork
from tenants.roles import Permission

OUTCOME_LABELS = {"acknowledged": "已认识问题", "disputed": "有异议", "coached": "已辅导"}


@dataclass(frozen=True, slots=True)
class RecordStaffVisit:
    case_id: UUID
    user_id: UUID
    outcome: str
    note: str
    idempotency_key: str | None = None


@dataclass(kw_only=True)
class StaffVisit(Aggregate):
    id: UUID
    case_id: UUID
    project_id: UUID

    def recorded(self, user_id: UUID, outcome: str) -> None:
        self.audit.append(AuditEntry(action="case.staff_visited", entity="case", entity_id=self.case_id,
                                     project_id=self.project_id, data={"user_id": str(user_id), "outcome": outcome,
                                                                       "visit_id": str(self.id)}))


async def record_staff_visit(cmd: RecordStaffVisit, uow: UnitOfWork) -> UUID:
    if cmd.outcome not in OUTCOME_LABELS:
        raise invalid("未知的回访结果。Unknown outcome.", "outcome")
    note = cmd.note.strip()
    if not 1 <= len(note) <= 1000:
        raise invalid("请写明回访内容（1–1,000字）。Say what was said, 1–1,000 characters.", "note")
    async with uow:
        request = {"caseId": str(cmd.case_id), "userId": str(cmd.user_id), "outcome": cmd.outcome, "note": note}
        if (done := await uow.claim(cmd.idempotency_key, "recordStaffVisit", request)) is not None:
            return UUID(done["id"])
        case = await repository.case_of(uow, cmd.case_id)
        uow.require(Permission.CASE_FOLLOW_UP, case.project_id, "caseId")
        if case.kind != "complaint":
            raise DomainError(ErrorCode.INVALID_STATE, "只有投诉工单回访相关员工。Only a complaint's staff are visited.", "caseId")
        if uow.actor == f"user:{cmd.user_id}":
            raise invalid("员工回访须由他人进行。Someone else visits the person a complaint was about.", "userId")
        await repository.check_staff(uow, case.project_id, cmd.user_id)
        visit_id = await repository.insert(uow, case_id=cmd.case_id, project_id=case.project_id, user_id=cmd.user_id,
                                           outcome=cmd.outcome, note=note)
        visit = StaffVisit(id=visit_id, case_id=cmd.case_id, project_id=case.project_id)
        uow.track(visit)
        visit.recorded(cmd.user_id, cmd.outcome)
        # A case's event: the people's figures of its cohort month count the visit (docs/centre-day.md §7).
        visit.events.append(Event(topic="case.staff_visited", org_id=uow.org_id, project_id=case.project_id,
                                  payload={"case_id": str(cmd.case_id), "visit_id": str(visit_id), "user_id": str(cmd.user_id),
                                           "outcome": cmd.outcome, "actor": uow.actor}))
        await uow.commit({"id": str(visit_id)})
    return visit_id
