"""Root query fields of the service centre's own day (docs/centre-day.md), joined into `Query`: the
knowledge base's search at intake and its list, the corrective actions, the hazard register. A project of another
company or out of reach is NOT_FOUND."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.permissions import Requires
from api.graphql.reach import project_in_reach, required_project_in_reach
from api.graphql.types.archive import after_id, connection
from api.graphql.types.hazard import Hazard, HazardCategory, HazardGrade, HazardSource, HazardState
from api.graphql.types.improvement import ActionState, ImprovementAction
from api.graphql.types.sweep import Sweep, SweepProjectProgress, SweepState
from api.graphql.types.knowledge import KnowledgeArticle, KnowledgeKind
from api.graphql.types.node import Connection, from_global_id, page_size
from domain.errors import invalid, not_found
from domain.hazards import reads as hazard_reads
from domain.improvements import reads as improvement_reads
from domain.knowledge import reads
from domain.knowledge.rules import search_terms
from domain.sweeps import reads as sweep_reads
from tenants.roles import Permission


@strawberry.type
class CentreQueries:
    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description="查话术 Search the company's and the project's active articles as an agent types: every "
                                  "word (space-separated, Chinese phrases as they are) somewhere in the title, tags or "
                                  "text; title matches first, then the most used at this project. With categoryCode "
                                  "and no text: the articles for that case category.")
    async def search_knowledge(self, info: Info, project_id: strawberry.ID, text: str = "", kind: KnowledgeKind | None = None,
                               category_code: str | None = None, first: int | None = 5) -> list[KnowledgeArticle]:
        project = await required_project_in_reach(info, project_id)
        limit = page_size(first, 5)
        if limit > 50:
            raise invalid("数量 first 最多 50。first is at most 50.", "first")
        rows = await reads.search(info.context.db, project, search_terms(text, category=category_code), kind=kind.value if kind else None,
                                  category=category_code, limit=limit)
        return [KnowledgeArticle.from_row(r) for r in rows]

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description="知识库 The company's articles, and with projectId that project's own after them; by kind "
                                  "and title. One article: node(id).")
    async def knowledge_articles(self, info: Info, project_id: strawberry.ID | None = None, kind: KnowledgeKind | None = None,
                                 include_inactive: bool = False, first: int | None = 50,
                                 after: str | None = None) -> Connection[KnowledgeArticle]:
        project = await project_in_reach(info, project_id)
        limit = page_size(first, 50)
        rows = await reads.article_page(info.context.db, project, kind=kind.value if kind else None,
                                        inactive=include_inactive, after=after_id(after), limit=limit + 1)
        return connection(rows, limit, KnowledgeArticle.from_row)

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description="整改措施 Corrective actions of a project, or of every project you see: open ones by due "
                                  "date (the overdue first), then those waiting for verification, then the verified. "
                                  "One action: node(id).")
    async def improvement_actions(self, info: Info, project_id: strawberry.ID | None = None, state: ActionState | None = None,
                                  overdue: bool = False, owner_id: strawberry.ID | None = None, first: int | None = 50,
                                  after: str | None = None) -> Connection[ImprovementAction]:
        project = await project_in_reach(info, project_id)
        owner = from_global_id(owner_id, "User", "ownerId") if owner_id else None
        limit = page_size(first, 50)
        rows = await improvement_reads.action_page(info.context.db, project, state=state.value if state else None,
                                                   overdue=overdue, owner=owner, after=after_id(after), limit=limit + 1)
        return connection(rows, limit, ImprovementAction.from_row)


@strawberry.input(description="隐患筛选 Narrow the register; every field optional.")
class HazardFilter:
    state: HazardState | None = None
    grade: HazardGrade | None = None
    category: HazardCategory | None = None
    source: HazardSource | None = None
    building_id: strawberry.ID | None = None
    overdue: bool = strawberry.field(default=False, description="Only those not yet rectified and past their deadline.")


@strawberry.type
class HazardQueries:
    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description="隐患台账 A project's hazards: those to put right by deadline (the overdue first), then "
                                  "those waiting for verification, then the closed. One hazard: node(id).")
    async def hazards(self, info: Info, project_id: strawberry.ID, filter: HazardFilter | None = None, first: int | None = 50,
                      after: str | None = None) -> Connection[Hazard]:
        project = await required_project_in_reach(info, project_id)
        f = filter or HazardFilter()
        limit = page_size(first, 50)
        rows = await hazard_reads.hazard_page(info.context.db, project, state=f.state.value if f.state else None,
                                              grade=f.grade.value if f.grade else None, overdue=f.overdue,
                                              category=f.category.value if f.category else None,
                                              source=f.source.value if f.source else None,
                                              building=from_global_id(f.building_id, "Building", "buildingId")
                                              if f.building_id else None,
                                              after=after_id(after), limit=limit + 1)
        return connection(rows, limit, Hazard.from_row)

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description="排查行动 The company's dragnet sweeps, newest first (at most 100). One: node(id).")
    async def sweeps(self, info: Info, state: SweepState | None = None, first: int | None = 50) -> list[Sweep]:
        limit = page_size(first, 50)
        if limit > 100:
            raise invalid("数量 first 最多 100。first is at most 100.", "first")
        return [Sweep.from_row(r) for r in await sweep_reads.sweeps(info.context.db, state=state.value if state else None,
                                                                     limit=limit)]

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description="排查完成情况 Headquarters' completion board of a sweep: each project's part you can see.")
    async def sweep_progress(self, info: Info, sweep_id: strawberry.ID) -> list[SweepProjectProgress]:
        row = await sweep_reads.sweep(info.context.db, from_global_id(sweep_id, "Sweep", "sweepId"))
        if row is None:
            raise not_found("The sweep", "sweepId", zh="排查行动")
        return [SweepProjectProgress.from_row(r) for r in await sweep_reads.progress(info.context.db, row.id)]
