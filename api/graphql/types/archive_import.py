"""导入 An archive import (docs/archive.md §6.3–6.4): its state and progress while the worker runs it,
then the counts per sheet or the row-by-row problems. Shaping rows only; the rows come from
domain/archive/upload_reads.py. Everything here needs archive:import on the import's project."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.reach import required_project_in_reach
from api.graphql.types.actor import Actor, actor_of
from api.graphql.types.node import Node, to_global_id
from api.graphql.types.project import Project
from domain.archive import upload_reads
from domain.errors import DomainError, ErrorCode
from domain.reads import Row
from tenants.roles import Permission


@strawberry.enum(name="ArchiveImportState", description="导入状态")
class ArchiveImportState(Enum):
    QUEUED = "queued"  # 排队中
    RUNNING = "running"  # 导入中
    SUCCEEDED = "succeeded"  # 完成 (a dry run: nothing wrong, nothing written)
    REJECTED = "rejected"  # 有问题 nothing written; see problems
    FAILED = "failed"  # 失败 the run itself broke; see error


STATE_LABELS = {"queued": "排队中", "running": "导入中", "succeeded": "完成", "rejected": "有问题，未导入", "failed": "失败"}


@strawberry.type(description="问题 One thing wrong in the workbook, where Excel shows it.")
class ImportProblem:
    sheet: str = strawberry.field(description="工作表 The sheet's name; empty for the file as a whole.")
    row: int = strawberry.field(description="行 As Excel numbers it (1-based); 0 for the file or a whole sheet.")
    column: str = strawberry.field(description="列 Letter and header, e.g. \"C 手机号\"; empty when not one cell's.")
    value: str = strawberry.field(description="值 As found; phone and ID numbers masked.")
    problem: str = strawberry.field(description="问题 In Chinese.")
    english: str
    code: str = strawberry.field(description="A stable code, e.g. BAD_PHONE.")

    @classmethod
    def of(cls, p: dict[str, Any]) -> ImportProblem:
        return cls(sheet=p.get("sheet", ""), row=int(p.get("row", 0)), column=p.get("column", ""), value=p.get("value", ""),
                   problem=p.get("problem", ""), english=p.get("english", ""), code=p.get("code", ""))


@strawberry.type(description="One sheet's records: new, changed, and already as the workbook says.")
class ImportSheetCount:
    sheet: str
    created: int
    updated: int
    unchanged: int


@strawberry.type(description="导入 An archive import: a dry run or the real one, queued, running, or done.")
class ArchiveImport(Node):
    import_id: strawberry.Private[UUID]
    project_id: strawberry.Private[UUID]
    created_by_: strawberry.Private[str]
    problems_: strawberry.Private[list[dict[str, Any]] | None]
    upload_id: strawberry.ID | None = strawberry.field(
        description="The upload it reads; null once the upload was purged (24 hours after it was sent).")
    file_name: str
    kind: str = strawberry.field(description="导入类型 archive 档案, or fee_opening 期初欠费 (opening balances).")
    dry_run: bool = strawberry.field(description="试导入 Checked and counted, then rolled back: nothing written.")
    state: ArchiveImportState
    rows_total: int | None = strawberry.field(description="Rows of the workbook's sheets; null until known.")
    rows_done: int
    counts: list[ImportSheetCount]
    problem_count: int = strawberry.field(description="Every problem found (reading stops at 10,000); `problems` holds "
                                                      "the first 1,000.")
    error: str | None = strawberry.field(description="Why a failed import failed.")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @strawberry.field
    def state_label(self) -> str:
        return STATE_LABELS[self.state.value]

    @strawberry.field(description="0 to 1 while running (null while the total is unknown); 1 when finished.")
    def progress(self) -> float | None:
        if self.state in (ArchiveImportState.SUCCEEDED, ArchiveImportState.REJECTED, ArchiveImportState.FAILED):
            return 1.0
        if not self.rows_total:
            return 0.0 if self.state is ArchiveImportState.QUEUED else None
        return min(1.0, self.rows_done / self.rows_total)

    @strawberry.field(description="The first 1,000 problems, in the order found; `sheet` keeps one sheet's.")
    async def problems(self, info: Info, sheet: str | None = None) -> list[ImportProblem]:
        found = self.problems_ if self.problems_ is not None else await upload_reads.problems(info.context.db, self.import_id)
        return [ImportProblem.of(p) for p in found if sheet is None or p.get("sheet") == sheet]

    @strawberry.field(description="The problems as a workbook (问题 sheet), with the caller's credentials.")
    def report_path(self) -> str:
        return f"/export/archive-imports/{self.id}/report.xlsx"

    @strawberry.field
    async def project(self, info: Info) -> Project | None:
        row = await info.context.loaders.project_by_id.load(self.project_id)
        return Project.from_row(row) if row else None

    @strawberry.field(description="Who asked for it.")
    async def created_by(self, info: Info) -> Actor:
        return await actor_of(info, self.created_by_)

    @classmethod
    def from_row(cls, row: Row) -> ArchiveImport:
        return cls(id=to_global_id("ArchiveImport", row.id), import_id=row.id, project_id=row.project_id,
                   created_by_=row.created_by, problems_=list(row.problems) if "problems" in row._fields else None,
                   upload_id=to_global_id("ArchiveUpload", row.upload_id) if row.upload_id else None,
                   file_name=row.file_name, kind=row.kind, dry_run=row.dry_run, state=ArchiveImportState(row.state),
                   rows_total=row.rows_total, rows_done=row.rows_done,
                   counts=[ImportSheetCount(sheet=c["sheet"], created=c["created"], updated=c["updated"],
                                            unchanged=c["unchanged"]) for c in row.counts],
                   problem_count=row.problem_count, error=row.error, created_at=row.created_at, started_at=row.started_at,
                   finished_at=row.finished_at)


def importer(info: Info, project_id: UUID) -> None:
    if not info.context.require().can(Permission.ARCHIVE_IMPORT, project_id):
        raise DomainError(ErrorCode.FORBIDDEN, f"您无权导入档案。This needs the permission {Permission.ARCHIVE_IMPORT.value} "
                                               "on the project.")


async def archive_import(info: Info, import_id: UUID) -> ArchiveImport | None:
    """One import, or null when it is not visible (another company's, a project out of reach)."""
    row = await upload_reads.archive_import(info.context.db, import_id)
    if row is None:
        return None
    importer(info, row.project_id)
    return ArchiveImport.from_row(row)


async def archive_imports(info: Info, project_id: strawberry.ID, first: int | None) -> list[ArchiveImport]:
    project = await required_project_in_reach(info, project_id)
    importer(info, project)
    limit = max(1, min(first or 10, 50))
    return [ArchiveImport.from_row(r) for r in await upload_reads.recent_imports(info.context.db, project, limit)]
