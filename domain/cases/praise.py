"""表扬 The staff a praise names (docs/centre-day.md §7): set at intake of a case of kind `praise`,
each an active user with a role in the case's project (or company-wide), at most 20, counted in the
people's figures (`kpi_person_month.praise`) of the month the praise was received."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.cases.states import CaseKind
from domain.errors import invalid

MAX_PRAISED = 20
# Under the caller's row-level security: a user of another company is not found.
_STAFF = text(
    "SELECT DISTINCT u.id FROM users u JOIN role_assignments r ON r.org_id = u.org_id AND r.user_id = u.id "
    "WHERE u.org_id = :o AND u.id = ANY(:ids) AND u.active AND (r.project_id = :p OR r.project_id IS NULL)"
)
_SET = text("UPDATE cases SET praised_user_ids = :ids WHERE org_id = :o AND id = :c")


def checked_praised(kind: CaseKind, user_ids: Sequence[UUID]) -> tuple[UUID, ...]:
    """The praised people without repeats, in the order given; refused on a case of another kind."""
    unique = tuple(dict.fromkeys(user_ids))
    if unique and kind is not CaseKind.PRAISE:
        raise invalid("只有表扬工单可以指明受表扬员工。Only a praise names the staff praised.", "praisedUserIds")
    if len(unique) > MAX_PRAISED:
        raise invalid(f"受表扬员工至多{MAX_PRAISED}人。At most {MAX_PRAISED} people are praised at once.", "praisedUserIds")
    return unique


async def set_praised(conn: AsyncConnection, org_id: UUID, case_id: UUID, project_id: UUID, user_ids: tuple[UUID, ...]) -> None:
    if not user_ids:
        return
    found = {r.id for r in await conn.execute(_STAFF, {"o": org_id, "ids": list(user_ids), "p": project_id})}
    if found != set(user_ids):
        raise invalid("受表扬员工须是在本项目有角色的在职账号。Each person praised must be an active user with a role in "
                      "this project.", "praisedUserIds")
    await conn.execute(_SET, {"o": org_id, "ids": list(user_ids), "c": case_id})
