"""隐患台账 as a workbook (`GET /export/hazards.xlsx`, docs/centre-day.md §2.2): one row per hazard
of a project — or of every project of the company, for headquarters — as the practices keep the
register: number, grade, title, place, owner, deadline, state, rectification, who verified and
when. Laid out by the archive's writer (header row bold and frozen, English in each header's
comment, labels for stored values). Rows come through a server-side cursor in chunks, under the
caller's row-level security; times are Beijing's. Every download is audited (no row data)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import RowMapping, text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.archive.sheets import Column, Sheet
from domain.hazards.rules import CATEGORY_LABELS, GRADE_LABELS, SOURCE_LABELS, STATE_LABELS
from domain.unit_of_work import Aggregate, AuditEntry, UnitOfWork
from tenants.roles import Permission

CHUNK = 2_000


def _choices(labels: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((label, value) for value, label in labels.items())


def _time(field: str, header: str, english: str) -> Column:
    return Column(field, header, english)  # written as text 2026-12-07 08:30: a date column would drop the hour


SHEET = Sheet("hazards", "隐患台账", "hazard register", (
    # Not the archive's `project_code` field, which the writer fills with one project's code.
    Column("project_no", "项目编码", "project code"), Column("project", "项目", "project"),
    Column("number", "隐患编号", "number"),
    Column("grade", "等级", "grade", "choice", choices=_choices(GRADE_LABELS)),
    Column("title", "隐患", "title"),
    Column("category", "类别", "category", "choice", choices=_choices(CATEGORY_LABELS)),
    Column("source", "来源", "source", "choice", choices=_choices(SOURCE_LABELS)),
    Column("building", "楼栋", "building"), Column("place", "位置", "place"),
    Column("owner", "责任人", "owner"), _time("deadline", "整改期限", "deadline"),
    Column("state", "状态", "state", "choice", choices=_choices(STATE_LABELS)),
    Column("overdue", "逾期", "past its deadline", "bool", choices=(("是", "true"), ("否", "false"))),
    Column("rectification", "整改情况", "rectification"), _time("rectified_at", "整改完成时间", "rectified at"),
    Column("verified_by", "验证人", "verified by"), _time("verified_at", "验证时间", "verified at"),
    Column("verify_note", "验证意见", "verification note"), Column("accepted_reason", "风险接受理由", "risk accepted because"),
    _time("reported_at", "上报时间", "reported at"),
), ())
GUIDE = (
    ("隐患台账导出：每行一项隐患，按项目和隐患编号排列；时间为北京时间。",
     "The hazard register: one row per hazard, by project and number; times are Beijing's."),
    ("“逾期”指待指派或整改中、且已过整改期限的隐患（导出时）。",
     "逾期: open or being rectified, and past its deadline when exported."),
)
ABOUT = {"hazards": ("隐患台账。", "The hazard register.")}

_BEIJING = "to_char({x} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')"
_ROWS = text(
    "SELECT pr.code AS project_no, pr.name AS project, h.number, h.grade, h.title, h.category, h.source, "
    f"  bd.name AS building, h.place, o.display_name AS owner, {_BEIJING.format(x='h.deadline')} AS deadline, h.state, "
    "  (h.state IN ('open', 'rectifying') AND h.deadline < now()) AS overdue, h.rectification_note AS rectification, "
    f"  {_BEIJING.format(x='h.rectified_at')} AS rectified_at, "
    "  (SELECT v.display_name FROM users v WHERE h.verified_by LIKE 'user:%' AND v.org_id = h.org_id "
    "     AND v.id::text = substr(h.verified_by, 6)) AS verified_by, "
    f"  {_BEIJING.format(x='h.verified_at')} AS verified_at, h.verify_note, h.accepted_reason, "
    f"  {_BEIJING.format(x='h.created_at')} AS reported_at "
    "FROM hazards h JOIN projects pr ON pr.org_id = h.org_id AND pr.id = h.project_id "
    "LEFT JOIN buildings bd ON bd.org_id = h.org_id AND bd.id = h.building_id "
    "LEFT JOIN users o ON o.org_id = h.org_id AND o.id = h.owner_user_id "
    "WHERE h.org_id = :o AND (CAST(:p AS uuid) IS NULL OR h.project_id = :p) "
    "ORDER BY pr.code, h.number, h.id"
)
_PROJECT = text("SELECT code, name FROM projects WHERE org_id = :o AND id = :p")


async def export_project(conn: AsyncConnection, org_id: UUID, project_id: UUID) -> tuple[str, str] | None:
    """The project's code and name, or None when the caller does not see it."""
    row = (await conn.execute(_PROJECT, {"o": org_id, "p": project_id})).first()
    return (row.code, row.name) if row is not None else None


async def export_rows(conn: AsyncConnection, org_id: UUID, project_id: UUID | None,
                      chunk: int = CHUNK) -> AsyncIterator[Sequence[RowMapping]]:
    """The register's rows (a project's, or all the caller sees when None) in chunks of `chunk`,
    through a server-side cursor in `conn`'s transaction."""
    result = await conn.stream(_ROWS, {"o": org_id, "p": project_id})
    async for part in result.mappings().partitions(chunk):
        yield part


@dataclass(frozen=True)
class RecordHazardExport:
    project_id: UUID | None  # None: the company's register
    rows: int


async def record_hazard_export(cmd: RecordHazardExport, uow: UnitOfWork) -> None:
    """The audit row `hazards.exported`, committed before the file is answered."""
    async with uow:
        uow.require(Permission.PROJECT_READ, cmd.project_id, field="projectId")
        data: dict[str, Any] = {"rows": cmd.rows, "scope": "project" if cmd.project_id else "company"}
        uow.track(Aggregate(audit=[AuditEntry(action="hazards.exported", entity="hazard_register", entity_id=cmd.project_id,
                                              project_id=cmd.project_id, data=data)]))
        await uow.commit()
