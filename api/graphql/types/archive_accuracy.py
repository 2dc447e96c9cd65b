"""档案准确率 archiveAccuracy: the stored figures of docs/archive.md §7 per project and Beijing day.
Shaping rows only; they come from domain/archive/accuracy_reads.py."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.reach import project_in_reach
from api.graphql.types.archive import ArchiveProblemType
from api.graphql.types.project import Project
from api.graphql.types.resident import archive_projects, archive_reader
from domain.archive.accuracy import PROBLEM_LABELS, Problem
from domain.archive.accuracy_reads import accuracy_rows
from domain.errors import invalid
from domain.reads import Row

@strawberry.type(description="One check of the archive and how many records fail it.")
class ArchiveCheckCount:
    problem: ArchiveProblemType
    count: int

    @strawberry.field
    def label(self) -> str:
        return PROBLEM_LABELS[self.problem]


@strawberry.type(description="档案准确率 A project's archive on a Beijing day: 1 − records with at least one problem / "
                             "records checked (current residents, flats, pets, vehicles).")
class ArchiveAccuracy:
    project_id: strawberry.Private[UUID]
    day: date | None = strawberry.field(description="The Beijing day computed; null when never computed.")
    accuracy: float | None = strawberry.field(description="0–1, as every rate; null when nothing was checked or never computed.")
    records_checked: int
    records_with_problems: int
    checks: list[ArchiveCheckCount] = strawberry.field(description="Each check's count, in the order of ArchiveProblem.")
    computed_at: datetime | None

    @strawberry.field(description="The accuracy × 100, for display.")
    def percentage(self) -> float | None:
        return self.accuracy * 100 if self.accuracy is not None else None

    @strawberry.field
    async def project(self, info: Info) -> Project:
        return Project.from_row(await info.context.loaders.project_by_id.load(self.project_id))

    @classmethod
    def from_row(cls, row: Row) -> ArchiveAccuracy:
        return cls(project_id=row.project_id, day=row.day, accuracy=row.accuracy, records_checked=row.records_checked,
                   records_with_problems=row.records_with_problems,
                   checks=[ArchiveCheckCount(problem=p, count=getattr(row, p.column)) for p in Problem],
                   computed_at=row.computed_at)


async def archive_accuracy(info: Info, project_id: strawberry.ID | None, day: date | None) -> list[ArchiveAccuracy]:
    if day is not None and not date(2000, 1, 1) <= day <= date(2100, 1, 1):
        raise invalid("日期须在 2000 到 2100 年之间。day must fall between 2000 and 2100.", "day")
    project = await project_in_reach(info, project_id)
    if project is not None:
        archive_reader(info, project)
    rows = await accuracy_rows(info.context.db, project, archive_projects(info) if project is None else None, day)
    return [ArchiveAccuracy.from_row(r) for r in rows]
