"""巡查 Patrol routes, their points and plans, the runs walked and the visits at each point, as
staff read them. A point's token (what its QR code holds) is shown to those who manage patrols
only: whoever could read it could check in without standing there."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import Enum
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.node import Node, to_global_id
from api.graphql.types.viewer import User
from domain.patrols import reads
from domain.patrols.rules import CADENCE_LABELS, KIND_LABELS, QR_PREFIX, RESULT_LABELS, RUN_STATE_LABELS
from domain.reads import Row
from tenants.roles import Permission

PatrolKind = strawberry.enum(Enum("PatrolKind", {k.upper(): k for k in KIND_LABELS}),
                             description="安全巡查 safety, 工程巡检 engineering, 环境巡查 cleaning, 绿化巡查 greening, 巡访 visit")
PatrolCadence = strawberry.enum(Enum("PatrolCadence", {k.upper(): k for k in CADENCE_LABELS}),
                                description="每天 daily, 每周 weekly (weekdays), 每月 monthly (days of the month)")
PatrolRunState = strawberry.enum(Enum("PatrolRunState", {k.upper(): k for k in RUN_STATE_LABELS}),
                                 description="待巡查 scheduled → 巡查中 in_progress → 已完成 done; 漏巡 missed; 已取消 cancelled")
PatrolResult = strawberry.enum(Enum("PatrolResult", {k.upper(): k for k in RESULT_LABELS}),
                               description="正常 ok, 有问题 issue, 不适用 na")


def _gid(kind: str, value: UUID | None) -> strawberry.ID | None:
    return to_global_id(kind, value) if value else None


@strawberry.type(description="巡查点 A place on a route, with what to look at there and its QR code.")
class PatrolPoint(Node):
    row: strawberry.Private[Row]
    position: int
    name: str
    place: str
    checks: list[str]
    active: bool

    @strawberry.field(description="The route's id.")
    def route_id(self) -> strawberry.ID:
        return to_global_id("PatrolRoute", self.row.route_id)

    @strawberry.field
    def building_id(self) -> strawberry.ID | None:
        return _gid("Building", self.row.building_id)

    @strawberry.field(description="加入路线时间 When the point was added to its route; null for points older than this "
                                  "record. A run started before it keeps the points it started with and takes no visit here.")
    def added_at(self) -> datetime | None:
        added: datetime | None = self.row.added_at
        return added

    @strawberry.field(description="二维码内容 What the point's QR code holds (fc:pp:<token>); patrol:manage only, else null.")
    def qr_content(self, info: Info) -> str | None:
        p = info.context.principal
        return f"{QR_PREFIX}{self.row.token}" if p and p.can(Permission.PATROL_MANAGE, self.row.project_id) else None

    @classmethod
    def from_row(cls, r: Row) -> PatrolPoint:
        return cls(id=to_global_id("PatrolPoint", r.id), row=r, position=r.position, name=r.name, place=r.place,
                   checks=list(r.checks), active=r.active)


@strawberry.type(description="巡查计划 Who walks a route, how often, in which window (Beijing time).")
class PatrolPlan(Node):
    row: strawberry.Private[Row]
    cadence: PatrolCadence
    weekdays: list[int] = strawberry.field(description="1 = Monday … 7 = Sunday (weekly plans).")
    month_days: list[int]
    window_start: time
    window_minutes: int
    starts_on: date
    ends_on: date | None
    active: bool

    @strawberry.field(description="巡查人, or null for a department's plan.")
    async def assignee(self, info: Info) -> User | None:
        if self.row.assignee_user_id is None:
            return None
        row = await info.context.loaders.user_by_id.load(self.row.assignee_user_id)
        return User.from_row(row) if row else None

    @strawberry.field
    def department_id(self) -> strawberry.ID | None:
        return _gid("Department", self.row.department_id)

    @classmethod
    def from_row(cls, r: Row) -> PatrolPlan:
        return cls(id=to_global_id("PatrolPlan", r.id), row=r, cadence=PatrolCadence(r.cadence), weekdays=list(r.weekdays),
                   month_days=list(r.month_days), window_start=r.window_start, window_minutes=r.window_minutes,
                   starts_on=r.starts_on, ends_on=r.ends_on, active=r.active)


@strawberry.type(description="巡查路线 A project's walk: its points in order and its plans.")
class PatrolRoute(Node):
    row: strawberry.Private[Row]
    name: str
    kind: PatrolKind
    active: bool
    created_at: datetime

    @strawberry.field
    def kind_label(self) -> str:
        return KIND_LABELS[self.row.kind]

    @strawberry.field
    def project_id(self) -> strawberry.ID:
        return to_global_id("Project", self.row.project_id)

    @strawberry.field
    def department_id(self) -> strawberry.ID | None:
        return _gid("Department", self.row.department_id)

    @strawberry.field(description="In walking order.")
    async def points(self, info: Info) -> list[PatrolPoint]:
        return [PatrolPoint.from_row(r) for r in await reads.points(info.context.db, [self.row.id])]

    @strawberry.field
    async def plans(self, info: Info) -> list[PatrolPlan]:
        return [PatrolPlan.from_row(r) for r in await reads.plans(info.context.db, [self.row.id])]

    @classmethod
    def from_row(cls, r: Row) -> PatrolRoute:
        return cls(id=to_global_id("PatrolRoute", r.id), row=r, name=r.name, kind=PatrolKind(r.kind), active=r.active,
                   created_at=r.created_at)


@strawberry.type(description="打卡 One point of a run: what was found, and on a 巡访 walk the owner talked with.")
class PatrolVisit(Node):
    row: strawberry.Private[Row]
    at: datetime
    scanned: bool = strawberry.field(description="The point's QR code was scanned (proof of presence), not picked from a list.")
    result: PatrolResult
    note: str
    photos: list[str]
    talk_note: str | None
    by: str

    @strawberry.field
    def result_label(self) -> str:
        return RESULT_LABELS[self.row.result]

    @strawberry.field
    def run_id(self) -> strawberry.ID:
        return to_global_id("PatrolRun", self.row.run_id)

    @strawberry.field
    def point_id(self) -> strawberry.ID:
        return to_global_id("PatrolPoint", self.row.point_id)

    @strawberry.field
    def talked_unit_id(self) -> strawberry.ID | None:
        return _gid("Unit", self.row.talked_unit_id)

    @strawberry.field
    def talked_resident_id(self) -> strawberry.ID | None:
        return _gid("Resident", self.row.talked_resident_id)

    @strawberry.field(description="The case registered from this visit's issue (caseFromPatrolVisit), if any.")
    def case_id(self) -> strawberry.ID | None:
        return _gid("Case", self.row.case_id)

    @classmethod
    def from_row(cls, r: Row) -> PatrolVisit:
        return cls(id=to_global_id("PatrolVisit", r.id), row=r, at=r.at, scanned=r.scanned, result=PatrolResult(r.result),
                   note=r.note, photos=list(r.photos), talk_note=r.talk_note, by=r.by)


@strawberry.type(description="巡查任务 One window of a plan: due from–until, walked point by point, done or missed.")
class PatrolRun(Node):
    row: strawberry.Private[Row]
    due_from: datetime
    due_until: datetime
    state: PatrolRunState
    started_by: str | None
    started_at: datetime | None
    finished_at: datetime | None
    missed_at: datetime | None
    cancelled_at: datetime | None
    cancelled_by: str | None
    cancel_reason: str | None = strawberry.field(description="取消原因 Why a manager cancelled it, or which plan or route "
                                                             "was switched off or edited.")
    points_total: int
    points_done: int

    @strawberry.field
    def state_label(self) -> str:
        return RUN_STATE_LABELS[self.row.state]

    @strawberry.field
    def plan_id(self) -> strawberry.ID:
        return to_global_id("PatrolPlan", self.row.plan_id)

    @strawberry.field
    async def route(self, info: Info) -> PatrolRoute | None:
        row = await reads.route(info.context.db, self.row.route_id)
        return PatrolRoute.from_row(row) if row else None

    @strawberry.field(description="巡查人, or null for a department's plan.")
    async def assignee(self, info: Info) -> User | None:
        if self.row.assignee_user_id is None:
            return None
        row = await info.context.loaders.user_by_id.load(self.row.assignee_user_id)
        return User.from_row(row) if row else None

    @strawberry.field(description="In the route's order.")
    async def visits(self, info: Info) -> list[PatrolVisit]:
        return [PatrolVisit.from_row(r) for r in await reads.visits(info.context.db, [self.row.id])]

    @classmethod
    def from_row(cls, r: Row) -> PatrolRun:
        return cls(id=to_global_id("PatrolRun", r.id), row=r, due_from=r.due_from, due_until=r.due_until,
                   state=PatrolRunState(r.state), started_by=r.started_by, started_at=r.started_at, finished_at=r.finished_at,
                   missed_at=r.missed_at, cancelled_at=r.cancelled_at, cancelled_by=r.cancelled_by, cancel_reason=r.cancel_reason,
                   points_total=r.points_total, points_done=r.points_done)


async def patrol_route(info: Info, route_id: UUID) -> PatrolRoute | None:
    row = await reads.route(info.context.db, route_id)
    return PatrolRoute.from_row(row) if row else None


async def patrol_point(info: Info, point_id: UUID) -> PatrolPoint | None:
    row = await reads.point(info.context.db, point_id)
    return PatrolPoint.from_row(row) if row else None


async def patrol_plan(info: Info, plan_id: UUID) -> PatrolPlan | None:
    row = await reads.plan(info.context.db, plan_id)
    return PatrolPlan.from_row(row) if row else None


async def patrol_run(info: Info, run_id: UUID) -> PatrolRun | None:
    row = await reads.run(info.context.db, run_id)
    return PatrolRun.from_row(row) if row else None


async def patrol_visit(info: Info, visit_id: UUID) -> PatrolVisit | None:
    row = await reads.visit(info.context.db, visit_id)
    return PatrolVisit.from_row(row) if row else None
