"""内部通报 Internal bulletins as the API shows them. Drafts are seen only by those who may publish;
a published bulletin shows the figures frozen when it was published, not today's."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.case import Case
from api.graphql.types.node import Node, to_global_id
from api.graphql.types.overview import Kpis
from api.graphql.types.project import Department, Project
from domain.errors import invalid
from domain.reads import Row
from domain.reviews import bulletin_read
from domain.reviews.rules import (
    BULLETIN_KIND_LABELS,
    FIGURE_NAMES,
    STATE_LABELS,
    figures_of,
)
from tenants.roles import Permission

BulletinKind = strawberry.enum(Enum("BulletinKind", {k.upper(): k for k in BULLETIN_KIND_LABELS}),
                               description="通报类型 表扬 praise, 批评 criticism or 通报 notice")
BulletinState = strawberry.enum(Enum("BulletinState", {k.upper(): k for k in STATE_LABELS}), description="草稿 → 已发布 → 已撤回")
BulletinFigure = strawberry.enum(Enum("BulletinFigure", {k.upper(): k for k in FIGURE_NAMES}),
                                 description="A figure of docs/kpis.md a bulletin cites as its reason.")
MAX_LIST = 200


@strawberry.type(description="冻结数据 The numbers a published bulletin was based on, as they stood when it was published.")
class BulletinFigures:
    taken_at: datetime
    month: date
    households: int | None
    kpis: Kpis
    complaints: int = strawberry.field(description="投诉 Complaints received in the month.")
    open: int = strawberry.field(description="未办结 Cases of the month still open then.")
    overdue: int = strawberry.field(description="超时 Cases of the month open past a deadline then.")
    case_numbers: list[str] = strawberry.field(description="The linked cases' numbers then.")

    @classmethod
    def of(cls, s: dict | None) -> BulletinFigures | None:
        if s is None:
            return None
        counts = s.get("counts") or {}
        return cls(taken_at=datetime.fromisoformat(s["taken_at"]), month=date.fromisoformat(s["month"]), households=s.get("households"),
                   kpis=Kpis.of(figures_of(s)), complaints=counts.get("complaints", 0), open=counts.get("open", 0),
                   overdue=counts.get("overdue", 0), case_numbers=[c["number"] for c in s.get("cases") or ()])


@strawberry.type(description="内部通报 A bulletin about one project (and optionally one of its departments) for one month.")
class Bulletin(Node):
    row: strawberry.Private[Row]
    kind: BulletinKind
    title: str
    body: str
    month: date = strawberry.field(description="The month it is about (its first day).")
    state: BulletinState
    cited_figures: list[BulletinFigure]
    drafted_by: str
    created_at: datetime
    updated_at: datetime
    published_by: str | None
    published_at: datetime | None
    withdrawn_by: str | None
    withdrawn_at: datetime | None
    withdrawal_reason: str | None
    circulated: bool = strawberry.field(description="全公司通报 Circulated to every project of the company.")
    project_id: strawberry.ID

    @strawberry.field
    def kind_label(self) -> str:
        return BULLETIN_KIND_LABELS[self.row.kind]

    @strawberry.field
    def state_label(self) -> str:
        return STATE_LABELS[self.row.state]

    @strawberry.field(description="Null while a draft: figures are frozen when it is published.")
    def figures(self) -> BulletinFigures | None:
        return BulletinFigures.of(self.row.figures)

    @strawberry.field
    async def project(self, info: Info) -> Project | None:
        row = await info.context.loaders.project_by_id.load(self.row.project_id)
        return Project.from_row(row) if row else None

    @strawberry.field(description="The department praised or criticised, if it names one.")
    async def department(self, info: Info) -> Department | None:
        if self.row.department_id is None:
            return None
        row = await info.context.loaders.department_by_id.load(self.row.department_id)
        return Department.from_row(row) if row else None

    @strawberry.field(description="The linked cases the caller may see, in the bulletin's order.")
    async def cases(self, info: Info) -> list[Case]:
        if not self.row.case_ids:
            return []
        info.context.require(Permission.CASE_READ)
        rows = await info.context.loaders.case_by_id.load_many(list(self.row.case_ids))
        return [Case.from_row(r) for r in rows if r is not None]

    @strawberry.field(description="GET this path with the same credentials for the bulletin as a printable page.")
    def print_path(self) -> str:
        return f"/print/bulletins/{self.id}"

    @classmethod
    def from_row(cls, r: Row) -> Bulletin:
        return cls(id=to_global_id("Bulletin", r.id), row=r, kind=BulletinKind(r.kind), title=r.title, body=r.body, month=r.month,
                   state=BulletinState(r.state), cited_figures=[BulletinFigure(f) for f in r.cited_figures if f in FIGURE_NAMES],
                   drafted_by=r.drafted_by, created_at=r.created_at, updated_at=r.updated_at, published_by=r.published_by,
                   published_at=r.published_at, withdrawn_by=r.withdrawn_by, withdrawn_at=r.withdrawn_at,
                   withdrawal_reason=r.withdrawal_reason, circulated=r.circulated, project_id=to_global_id("Project", r.project_id))


@strawberry.type(description="全公司通报 A bulletin about another project, circulated to the caller's: its words and frozen figures.")
class Circular:
    row: strawberry.Private[Row]
    bulletin_id: strawberry.ID
    kind: BulletinKind
    title: str
    body: str
    month: date
    subject: str = strawberry.field(description="The project (and department) it is about, by name.")
    published_at: datetime
    withdrawn_at: datetime | None
    withdrawal_reason: str | None

    @strawberry.field
    def kind_label(self) -> str:
        return BULLETIN_KIND_LABELS[self.row.kind]

    @strawberry.field
    def figures(self) -> BulletinFigures | None:
        return BulletinFigures.of(self.row.figures)

    @strawberry.field(description="GET this path with the same credentials for the circular as a printable page.")
    def print_path(self) -> str:
        return f"/print/circulars/{self.bulletin_id}"

    @classmethod
    def from_row(cls, r: Row) -> Circular:
        return cls(row=r, bulletin_id=to_global_id("Bulletin", r.bulletin_id), kind=BulletinKind(r.kind), title=r.title, body=r.body,
                   month=r.month, subject=r.subject, published_at=r.published_at, withdrawn_at=r.withdrawn_at,
                   withdrawal_reason=r.withdrawal_reason)


def _drafts(info: Info) -> bool:
    return info.context.require().can(Permission.BULLETIN_PUBLISH)


async def bulletins(info: Info, project_id: UUID | None, state: str | None, first: int) -> list[Bulletin]:
    if not 1 <= first <= MAX_LIST:
        raise invalid(f"数量 first 须在 1 到 {MAX_LIST} 之间。first must be between 1 and {MAX_LIST}.", "first")
    rows = await bulletin_read.bulletins(info.context.db, project_id, state, first, _drafts(info))
    return [Bulletin.from_row(r) for r in rows]


async def circulars(info: Info, first: int) -> list[Circular]:
    if not 1 <= first <= MAX_LIST:
        raise invalid(f"数量 first 须在 1 到 {MAX_LIST} 之间。first must be between 1 and {MAX_LIST}.", "first")
    company_wide = info.context.require().projects is None
    return [Circular.from_row(r) for r in await bulletin_read.circulars(info.context.db, company_wide, first)]


async def bulletin(info: Info, bulletin_id: UUID) -> Bulletin | None:
    row = await bulletin_read.bulletin(info.context.db, bulletin_id, _drafts(info))
    return Bulletin.from_row(row) if row else None
