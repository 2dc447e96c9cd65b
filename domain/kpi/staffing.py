"""人员与成本 A project's month of headcount and costs (docs/centre-day.md §7), entered by hand:
the context of the cost per household and the households per head, not a figure scored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import text

from domain.errors import invalid, not_found
from domain.kpi.month import month_period
from domain.unit_of_work import Aggregate, AuditEntry, UnitOfWork
from tenants.roles import Permission

MAX_HEADCOUNT = 100_000
MAX_COST_FEN = 10**13  # a hundred billion yuan: a mistyped figure, not a month's costs


@dataclass(frozen=True, slots=True)
class SetProjectStaffing:
    project_id: UUID
    month: date
    headcount: int
    labour_cost_fen: int
    other_cost_fen: int
    idempotency_key: str | None = None


_PROJECT = text("SELECT 1 FROM projects WHERE org_id = :o AND id = :p")
_UPSERT = text(
    "INSERT INTO project_staffing (org_id, project_id, month, headcount, labour_cost_fen, other_cost_fen, by) "
    "VALUES (:o, :p, :month, :headcount, :labour, :other, :by) ON CONFLICT (org_id, project_id, month) DO UPDATE SET "
    "headcount = EXCLUDED.headcount, labour_cost_fen = EXCLUDED.labour_cost_fen, other_cost_fen = EXCLUDED.other_cost_fen, "
    "by = EXCLUDED.by, at = now()"
)


def _checked(cmd: SetProjectStaffing) -> date:
    if cmd.month.day != 1:
        raise invalid("月份须为当月 1 日。month must be the first day of a month.", "month")
    month, _ = month_period(cmd.month)
    if not 0 <= cmd.headcount <= MAX_HEADCOUNT:
        raise invalid(f"人数须在 0 到 {MAX_HEADCOUNT} 之间。headcount must be 0 to {MAX_HEADCOUNT}.", "headcount")
    for field, value in (("labourCostFen", cmd.labour_cost_fen), ("otherCostFen", cmd.other_cost_fen)):
        if not 0 <= value <= MAX_COST_FEN:
            raise invalid(f"费用（分）须为 0 到 {MAX_COST_FEN} 的整数。{field} must be 0 to {MAX_COST_FEN} fen.", field)
    return month


async def set_project_staffing(cmd: SetProjectStaffing, uow: UnitOfWork) -> None:
    async with uow:
        uow.require(Permission.KPI_STAFFING, cmd.project_id)
        month = _checked(cmd)
        values = {"headcount": cmd.headcount, "labour": cmd.labour_cost_fen, "other": cmd.other_cost_fen}
        request = {"projectId": str(cmd.project_id), "month": month.isoformat(), **values}
        if await uow.claim(cmd.idempotency_key, "setProjectStaffing", request) is not None:
            return
        if await uow.conn.scalar(_PROJECT, {"o": uow.org_id, "p": cmd.project_id}) is None:
            raise not_found("The project", "projectId", zh="项目")
        await uow.conn.execute(_UPSERT, {"o": uow.org_id, "p": cmd.project_id, "month": month, "by": uow.actor, **values})
        uow.track(Aggregate(audit=[AuditEntry(action="staffing.set", entity="project_staffing", entity_id=cmd.project_id,
                                              project_id=cmd.project_id, data={"month": month.isoformat(), **values})]))
        await uow.commit({"ok": True})
