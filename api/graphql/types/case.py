from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.actor import Actor, actor_by_id
from api.graphql.types.archive import Building, Unit, load_building, load_unit
from api.graphql.types.node import Node, to_global_id
from api.graphql.types.resident import Resident, load_resident
from api.graphql.types.project import Project
from api.graphql.types.sla import CaseSla, Escalation, case_escalations, case_sla
from api.graphql.types.staff_visit import StaffVisit
from api.graphql.types.viewer import User
from domain.cases.actions import CaseAction, available_actions
from domain.cases.states import STATE_LABELS, CaseKind, Channel, Satisfaction, Severity, State
from domain.reads import Row

CaseKindType = strawberry.enum(CaseKind, name="CaseKind", description="诉求类型 Kind of case")
ChannelType = strawberry.enum(Channel, name="Channel", description="渠道 Where the case came in")
SeverityType = strawberry.enum(Severity, name="Severity", description="紧急程度 Severity")
CaseStateType = strawberry.enum(State, name="CaseState", description="工单状态 State of a case")
SatisfactionType = strawberry.enum(Satisfaction, name="Satisfaction", description="满意度 Return-visit result")
CaseActionType = strawberry.enum(CaseAction, name="CaseAction", description=(
    "下一步 A transition of a case, named after its mutation: COMMIT commitCase, LINK_REPEAT linkRepeatCase, DISPATCH "
    "dispatchCase, REPORT_UNDISPATCHABLE reportUndispatchable, ACCEPT acceptCase, START startCase, PAUSE pauseCase, "
    "RESUME resumeCase, RESOLVE resolveCase, MISS_PROMISE missPromise, CONFIRM confirmCase, REJECT rejectCase, "
    "RETURN_VISIT returnVisit, CANCEL cancelCase, REQUEST_DECLINE requestDecline, APPROVE_DECLINE approveDecline, "
    "DENY_DECLINE denyDecline, REFER referCase."))

OVERDUE_DESCRIPTION = ("超时 Open — not resolved, confirmed, closed, declined, cancelled or referred — with a target "
                       "breached: past its deadline (clocks stop while waiting), or its promise was broken.")


@strawberry.type(description="工单类别 A category of the company's taxonomy (caseCategories lists them)")
class CaseCategory:
    code: str = strawberry.field(description="What registerCase takes as `category`; it never changes.")
    name: str = strawberry.field(description="中文名称 The Chinese label.")
    entry: strawberry.Private[Row | None] = None  # the taxonomy's row, when read from it

    async def _entry(self, info: Info) -> Row:
        return self.entry or await info.context.loaders.category_by_code.load(self.code)

    @strawberry.field(description="English label.")
    async def name_en(self, info: Info) -> str:
        return (await self._entry(info)).name_en or self.name

    @strawberry.field(description="The case kinds it applies to; null: every kind.")
    async def kinds(self, info: Info) -> list[CaseKindType] | None:
        kinds = (await self._entry(info)).kinds
        return [CaseKind(k) for k in kinds] if kinds is not None else None

    @strawberry.field(description="Its place in lists, smallest first.")
    async def sort(self, info: Info) -> int:
        return (await self._entry(info)).sort

    @strawberry.field(description="已停用 Archived: new cases may not use it; cases that have it keep it.")
    async def archived(self, info: Info) -> bool:
        return (await self._entry(info)).archived


@strawberry.type(description="工单 One request from a resident or a staff member")
class Case(Node):
    case_id: strawberry.Private[UUID]
    project_id: strawberry.Private[UUID]
    assignee_id: strawberry.Private[UUID | None]
    handler_id: strawberry.Private[UUID | None]
    first_receiver_id: strawberry.Private[UUID]
    repeat_of_id: strawberry.Private[UUID | None]
    unit_id: strawberry.Private[UUID | None]
    building_id: strawberry.Private[UUID | None]
    resident_id: strawberry.Private[UUID | None]
    number: str = strawberry.field(description="e.g. GD-XH-20261122-0042")
    kind: CaseKindType
    severity: SeverityType
    channel: ChannelType
    state: CaseStateType
    category: CaseCategory
    description: str
    photos: list[str]
    public_area: str | None
    received_at: datetime = strawberry.field(description="受理时间 When the request was taken; the SLA clocks start here.")
    registered_at: datetime = strawberry.field(description="登记时间 When it was entered; later than receivedAt for a relayed request.")
    commitment_due: datetime | None = strawberry.field(description="承诺时限 The deadline promised to the resident.")
    overdue: bool = strawberry.field(description=OVERDUE_DESCRIPTION)
    waiting_on_resident: bool
    reopen_count: int
    rework_level: int = strawberry.field(description="1 normal, 2 重新办理 (L2), 3 再次办理 (L3)")
    broken_promises: int
    satisfaction: SatisfactionType | None
    visit_score: int | None
    auto_confirmed: bool
    resolved_at: datetime | None
    confirmed_at: datetime | None

    @strawberry.field
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @strawberry.field
    async def project(self, info: Info) -> Project | None:
        row = await info.context.loaders.project_by_id.load(self.project_id)
        return Project.from_row(row) if row else None

    @strawberry.field(description="房屋 The flat it is about; null for a public area.")
    async def unit(self, info: Info) -> Unit | None:
        return await load_unit(info, self.unit_id)

    @strawberry.field(description="楼栋 The building it is about (the flat's, or one named for a public area).")
    async def building(self, info: Info) -> Building | None:
        return await load_building(info, self.building_id)

    @strawberry.field(description="报事住户 The resident who reported it (name and masked phone for whoever reads the case; "
                                  "the rest of their record needs archive:read).")
    async def resident(self, info: Info) -> Resident | None:
        return await load_resident(info, self.resident_id)

    @strawberry.field(description="The person the case is dispatched to, once known.")
    async def assignee(self, info: Info) -> User | None:
        if self.assignee_id is None:
            return None
        row = await info.context.loaders.user_by_id.load(self.assignee_id)
        return User.from_row(row) if row else None

    @strawberry.field(description="处理人 Who handled the case: the assignee who resolved it; null before that "
                                  "(and for a case an outside body answered).")
    async def handler(self, info: Info) -> User | None:
        if self.handler_id is None:
            return None
        row = await info.context.loaders.user_by_id.load(self.handler_id)
        return User.from_row(row) if row else None

    @strawberry.field(description=(
        "下一步 What the caller may do to the case now: what its state allows, the caller's permissions on its "
        "project (company-wide or a role there), and the person rules — start and resolve by the assignee, accept by "
        "the assignee or anyone before one is set, the return visit never by the handler. Offering is a courtesy: "
        "each mutation still checks."))
    def available_actions(self, info: Info) -> list[CaseActionType]:
        p = info.context.require()
        return available_actions(self.state, paused=self.waiting_on_resident, assignee_id=self.assignee_id,
                                 handler_id=self.handler_id, viewer_id=p.id, permissions=p.permissions(self.project_id))

    @strawberry.field(description="首问责任人 Whoever registered the case (a person, or an integrator's key); "
                                  "it owns the case until dispatch.")
    async def first_receiver(self, info: Info) -> Actor:
        return await actor_by_id(info, self.first_receiver_id)

    @strawberry.field(description="接访值班 The manager on reception duty when a front-desk or walk-in case was "
                                  "taken (recorded at registration); null for other channels or when nobody was on duty.")
    async def reception_manager(self, info: Info) -> User | None:
        row = await info.context.loaders.case_by_id.load(self.case_id)
        if row is None or row.reception_user_id is None:
            return None
        user = await info.context.loaders.user_by_id.load(row.reception_user_id)
        return User.from_row(user) if user else None

    @strawberry.field(description="前案 The earlier case this one repeats (linkRepeatCase); null if none, or not visible.")
    async def repeat_of(self, info: Info) -> Case | None:
        return await load_case(info, self.repeat_of_id)

    @strawberry.field(description="重复诉求 The cases linked as repeats of this one, oldest first.")
    async def repeats(self, info: Info) -> list[Case]:
        return [Case.from_row(r) for r in await info.context.loaders.repeats_by_case.load(self.case_id)]

    @strawberry.field(description="时效 Commitment, arrival, resolution and return-visit targets.")
    async def sla(self, info: Info) -> CaseSla:
        return await case_sla(info, self.case_id)

    @strawberry.field(description="升级 Escalations so far, oldest first.")
    async def escalations(self, info: Info) -> list[Escalation]:
        return await case_escalations(info, self.case_id)

    @strawberry.field(description="投诉回访员工 Return visits to the staff a complaint was about, oldest first.")
    async def staff_visits(self, info: Info) -> list[StaffVisit]:
        return [StaffVisit.from_row(r) for r in await info.context.loaders.staff_visits_by_case.load(self.case_id)]

    @strawberry.field(description="受表扬员工 The staff a praise names (registerCase praisedUserIds, setPraisedStaff), in the "
                                  "order named; empty for other kinds. A person no longer visible to the caller is left out.")
    async def praised_staff(self, info: Info) -> list[User]:
        if self.kind is not CaseKind.PRAISE:
            return []
        ids = await info.context.loaders.praised_by_case.load(self.case_id)
        rows = await info.context.loaders.user_by_id.load_many(ids)
        return [User.from_row(r) for r in rows if r is not None]

    @classmethod
    def from_row(cls, row: Row) -> Case:
        return cls(
            id=to_global_id("Case", row.id), case_id=row.id, project_id=row.project_id, assignee_id=row.assignee_id,
            handler_id=row.handler_id,
            first_receiver_id=row.first_receiver_id, repeat_of_id=row.repeat_of,
            unit_id=row.unit_id, building_id=row.building_id, resident_id=row.reporter_resident_id,
            number=row.number, kind=CaseKind(row.kind), severity=Severity(row.severity), channel=Channel(row.channel),
            state=State(row.state), category=CaseCategory(code=row.category_code, name=row.category_name),
            description=row.description, photos=list(row.photos), public_area=row.public_area, received_at=row.received_at,
            registered_at=row.registered_at,
            commitment_due=row.commitment_due,
            overdue=row.overdue,
            waiting_on_resident=row.paused_since is not None,
            reopen_count=row.reopen_count, rework_level=row.rework_level, broken_promises=row.broken_promises,
            satisfaction=Satisfaction(row.satisfaction) if row.satisfaction else None, visit_score=row.visit_score,
            auto_confirmed=row.auto_confirmed, resolved_at=row.resolved_at, confirmed_at=row.confirmed_at,
        )


async def load_case(info: Info, case_id: UUID | None) -> Case | None:
    """A case by id through the request's dataloader; None if there is none or it is not visible."""
    if case_id is None:
        return None
    row = await info.context.loaders.case_by_id.load(case_id)
    return Case.from_row(row) if row else None
