"""表扬 The staff a praise names (docs/centre-day.md §7): set at intake of a case of kind `praise`,
or changed afterwards (`set_praised_staff`), each an active user with a role in the case's project
(or company-wide), at most 20, counted in the people's figures (`kpi_person_month.praise`) of the
month the praise was received.

A change afterwards emits `case.praised_staff_set`: the `kpi` consumer handles every `case.`
event by recounting the case's cohort month, so the people dropped lose the praise and those
added gain it in the same recount a rebuild would make."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.cases.states import CaseKind
from domain.errors import DomainError, ErrorCode, ErrorReason, invalid, not_found
from domain.events import Event
from domain.reads import Reader
from domain.unit_of_work import Aggregate, AuditEntry, UnitOfWork
from tenants.roles import Permission

MAX_PRAISED = 20
# Under the caller's row-level security: a user of another company is not found.
_STAFF = text(
    "SELECT DISTINCT u.id FROM users u JOIN role_assignments r ON r.org_id = u.org_id AND r.user_id = u.id "
    "WHERE u.org_id = :o AND u.id = ANY(:ids) AND u.active AND (r.project_id = :p OR r.project_id IS NULL)"
)
_SET = text("UPDATE cases SET praised_user_ids = :ids WHERE org_id = :o AND id = :c")
_CASE = text("SELECT id, project_id, kind, praised_user_ids FROM cases WHERE org_id = :o AND id = :c FOR NO KEY UPDATE")
_BY_CASE = text("SELECT id, praised_user_ids FROM cases WHERE org_id = :org AND id = ANY(:ids)")


@dataclass(frozen=True, slots=True)
class SetPraisedStaff:
    """The whole list as it shall be: an empty one names no one."""
    case_id: UUID
    user_ids: tuple[UUID, ...]
    idempotency_key: str | None = None


def checked_praised(kind: CaseKind, user_ids: Sequence[UUID], field: str = "praisedUserIds") -> tuple[UUID, ...]:
    """The praised people without repeats, in the order given; refused on a case of another kind."""
    unique = tuple(dict.fromkeys(user_ids))
    if unique and kind is not CaseKind.PRAISE:
        raise invalid("只有表扬工单可以指明受表扬员工。Only a praise names the staff praised.", field)
    if len(unique) > MAX_PRAISED:
        raise invalid(f"受表扬员工至多{MAX_PRAISED}人。At most {MAX_PRAISED} people are praised at once.", field)
    return unique


async def check_staff(conn: AsyncConnection, org_id: UUID, project_id: UUID, user_ids: tuple[UUID, ...], field: str) -> None:
    found = {r.id for r in await conn.execute(_STAFF, {"o": org_id, "ids": list(user_ids), "p": project_id})}
    if found != set(user_ids):
        raise invalid("受表扬员工须是在本项目有角色的在职账号。Each person praised must be an active user with a role in "
                      "this project.", field)


async def set_praised(conn: AsyncConnection, org_id: UUID, case_id: UUID, project_id: UUID, user_ids: tuple[UUID, ...]) -> None:
    """At intake, in the registration's transaction."""
    if not user_ids:
        return
    await check_staff(conn, org_id, project_id, user_ids, "praisedUserIds")
    await conn.execute(_SET, {"o": org_id, "ids": list(user_ids), "c": case_id})


async def set_praised_staff(cmd: SetPraisedStaff, uow: UnitOfWork) -> UUID:
    """受表扬员工 changed after intake (case:follow_up on the case's project). The same people again,
    in any order, change nothing and write nothing."""
    people = checked_praised(CaseKind.PRAISE, cmd.user_ids, "userIds")
    async with uow:
        request = {"caseId": str(cmd.case_id), "userIds": [str(u) for u in people]}
        if await uow.claim(cmd.idempotency_key, "setPraisedStaff", request) is not None:
            return cmd.case_id
        case = (await uow.conn.execute(_CASE, {"o": uow.org_id, "c": cmd.case_id})).first()
        if case is None:
            raise not_found("The case", "caseId", zh="工单")
        uow.require(Permission.CASE_FOLLOW_UP, case.project_id, "caseId")
        if case.kind != CaseKind.PRAISE.value:
            raise DomainError(ErrorCode.INVALID_STATE, "只有表扬工单可以指明受表扬员工。Only a praise names the staff praised.",
                              "caseId", reason=ErrorReason.NOT_A_PRAISE)
        before = tuple(case.praised_user_ids)
        if set(people) != set(before):
            if people:
                await check_staff(uow.conn, uow.org_id, case.project_id, people, "userIds")
            await uow.conn.execute(_SET, {"o": uow.org_id, "ids": list(people), "c": case.id})
            data = {"user_ids": [str(u) for u in people], "before": [str(u) for u in before]}
            event = Event(topic="case.praised_staff_set", org_id=uow.org_id, project_id=case.project_id,
                          payload={"case_id": str(case.id), **data, "actor": uow.actor})
            uow.track(Aggregate(events=[event], audit=[AuditEntry(
                action="case.praised_staff_set", entity="case", entity_id=case.id, project_id=case.project_id, data=data,
                event_id=event.id)]))
        await uow.commit({"id": str(case.id)})
    return cmd.case_id


async def praised_by_case(db: Reader, case_ids: Sequence[UUID]) -> list[Row[Any]]:
    """Each visible case's praised people, in the order named."""
    return await db.all(_BY_CASE, {"org": db.org_id, "ids": list(case_ids)})
