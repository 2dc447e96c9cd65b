"""住户本人 What a resident's token reads (docs/resident-services.md §9.1): their profile, flats and
cases, shaped for residents — no assignee ids, SLA targets, internal notes or other people's
data. Ids are the global ids of the same nodes (`Case:<uuid>`), so an integrator matches them
with the webhooks it already receives. Row-level security under the resident role is the wall."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.archive import OccupantRoleType, after_id, connection
from api.graphql.types.case import CaseKindType, CaseStateType, SatisfactionType
from api.graphql.types.node import Connection, from_global_id, page_size, to_global_id
from api.graphql.types.progress import ProgressStep
from api.graphql.types.fees import BillStateType, beijing_today
from api.graphql.types.resident_fees import ResidentAccount, ResidentBill, ResidentPayment
from api.graphql.types.fee_reminders import ResidentReminder
from api.graphql.types.resident_notice import ResidentNotice
from api.graphql.types.resident_survey import ResidentSurvey, resident_surveys
from domain.archive.kinds import ROLE_LABELS, OccupantRole
from domain.cases import progress_read
from domain.cases.actions import CaseAction, allowed_by_state
from domain.cases.progress import Entry, named_ids, progress
from domain.cases.states import KIND_LABELS, STATE_LABELS, CaseKind, Satisfaction, State
from domain.errors import invalid
from domain.fees import resident_reads as fee_reads
from domain.fees import reminder_reads
from domain.notices import resident_reads
from domain.reads import Row
from domain.residents import reads


@strawberry.type(description="住户所在项目 The resident's project.")
class ResidentProject:
    id: strawberry.ID
    name: str


@strawberry.type(description="住户本人 The signed-in resident: masked phone only.")
class ResidentProfile:
    id: strawberry.ID
    name: str
    phone_masked: str | None
    project: ResidentProject

    @classmethod
    def from_row(cls, row: Row) -> ResidentProfile:
        return cls(id=to_global_id("Resident", row.id), name=row.name, phone_masked=row.phone_masked,
                   project=ResidentProject(id=to_global_id("Project", row.project_id), name=row.project_name))


@strawberry.type(description="房屋 A flat, as its resident sees it.")
class ResidentFlat:
    id: strawberry.ID
    label: str = strawberry.field(description="e.g. 3号楼 2单元 1502")


@strawberry.type(description="住户的房屋 One of the resident's current flats, in which role and since when.")
class ResidentUnit:
    unit: ResidentFlat
    role: OccupantRoleType
    since: date | None = strawberry.field(description="迁入 The move-in day; null when the archive does not know it.")

    @strawberry.field
    def role_label(self) -> str:
        return ROLE_LABELS[OccupantRole(self.role.value)]

    @classmethod
    def from_row(cls, row: Row) -> ResidentUnit:
        return cls(unit=ResidentFlat(id=to_global_id("Unit", row.unit_id), label=row.label),
                   role=OccupantRoleType(row.role), since=row.moved_in_on)


@strawberry.type(description="工单类别")
class ResidentCategory:
    name: str


@strawberry.type(description="住户评价 The resident's (or the return visit's) rating.")
class ResidentRating:
    satisfaction: SatisfactionType
    score: int


@strawberry.type(description="我的工单 A case of the resident's: one they reported, or of their flat since they moved in.")
class ResidentCase:
    case_id: strawberry.Private[UUID]
    paused: strawberry.Private[bool]
    rating_on: strawberry.Private[bool]
    id: strawberry.ID
    number: str
    kind: CaseKindType
    category: ResidentCategory
    unit: ResidentFlat | None
    public_area: str | None
    description: str
    received_at: datetime
    state: CaseStateType
    commitment_due: datetime | None
    rating: ResidentRating | None

    @strawberry.field
    def kind_label(self) -> str:
        return KIND_LABELS[CaseKind(self.kind.value)]

    @strawberry.field
    def state_label(self) -> str:
        return STATE_LABELS[State(self.state.value)]

    def _allows(self, action: CaseAction) -> bool:
        return action in allowed_by_state(State(self.state.value), self.paused)

    @strawberry.field(description="residentConfirmCase would be accepted now.")
    def can_confirm(self) -> bool:
        return self._allows(CaseAction.CONFIRM)

    @strawberry.field(description="residentRejectCase would be accepted now.")
    def can_reject(self) -> bool:
        return self._allows(CaseAction.REJECT)

    @strawberry.field(description="residentRateCase would be accepted now (and the project lets residents rate).")
    def can_rate(self) -> bool:
        return self.rating_on and self._allows(CaseAction.RETURN_VISIT)

    @strawberry.field(description="residentCancelCase would be accepted now.")
    def can_cancel(self) -> bool:
        return self._allows(CaseAction.CANCEL)

    @strawberry.field(description="进度 The steps the resident should know about, oldest first.")
    async def progress(self, info: Info) -> list[ProgressStep]:
        rows = await info.context.loaders.progress_entries_by_case.load(self.case_id)
        entries = [Entry(r.at, r.action, r.note, r.data or {}) for r in rows]
        ids = named_ids(entries)
        # Names are few (the people sent to the flat) and only on dispatched cases: read per case.
        names = await progress_read.names(info.context.db, ids) if ids else {}
        return [ProgressStep(at=s.at, stage=s.stage, title=s.title, message=s.message) for s in progress(entries, names)]

    @classmethod
    def from_row(cls, row: Row, rating_on: bool) -> ResidentCase:
        rating = (ResidentRating(satisfaction=SatisfactionType(Satisfaction(row.satisfaction)), score=row.visit_score)
                  if row.satisfaction and row.visit_score is not None else None)
        return cls(case_id=row.id, paused=row.paused_since is not None, rating_on=rating_on,
                   id=to_global_id("Case", row.id), number=row.number, kind=CaseKindType(CaseKind(row.kind)),
                   category=ResidentCategory(name=row.category_name),
                   unit=ResidentFlat(id=to_global_id("Unit", row.unit_id), label=row.unit_label) if row.unit_label else None,
                   public_area=row.public_area, description=row.description, received_at=row.received_at,
                   state=CaseStateType(State(row.state)), commitment_due=row.commitment_due, rating=rating)


@strawberry.type(description="住户本人 Everything a resident's token may read: their profile, flats and cases.")
class ResidentSelf:
    resident_id: strawberry.Private[UUID]

    async def _profile(self, info: Info) -> Row:
        row = await reads.profile(info.context.db, self.resident_id)
        if row is None:  # erased since the token was issued: the wall shows nothing
            from domain.errors import not_found
            raise not_found("The resident", zh="住户")
        return row

    @strawberry.field
    async def resident(self, info: Info) -> ResidentProfile:
        return ResidentProfile.from_row(await self._profile(info))

    @strawberry.field(description="The flats the resident lives in now.")
    async def units(self, info: Info) -> list[ResidentUnit]:
        return [ResidentUnit.from_row(r) for r in await reads.units(info.context.db, self.resident_id)]

    @strawberry.field(description="我的工单 Newest first; `open` true: still being handled, false: finished.")
    async def cases(self, info: Info, first: int | None = 20, after: str | None = None,
                    open: bool | None = None) -> Connection[ResidentCase]:
        limit = page_size(first)
        rating_on = (await self._profile(info)).resident_rating
        rows = await reads.cases(info.context.db, self.resident_id, limit=limit, after=after_id(after), open_only=open)
        return connection(rows, limit, lambda r: ResidentCase.from_row(r, rating_on))

    @strawberry.field(description="One of the resident's cases, or null (another flat's or company's is null alike).")
    async def case(self, info: Info, id: strawberry.ID) -> ResidentCase | None:
        row = await reads.case(info.context.db, self.resident_id, from_global_id(id, "Case"))
        if row is None:
            return None
        return ResidentCase.from_row(row, (await self._profile(info)).resident_rating)

    @strawberry.field(description="通知公告 Pinned first, then emergencies and outages, then newest; at most 50.")
    async def notices(self, info: Info, first: int = 20) -> list[ResidentNotice]:
        if not 1 <= first <= resident_reads.MAX:
            raise invalid(f"数量 first 须在 1 到 {resident_reads.MAX} 之间。first must be between 1 and {resident_reads.MAX}.", "first")
        return [ResidentNotice.from_row(r) for r in await resident_reads.notices(info.context.db, self.resident_id, first)]

    @strawberry.field(description="我的账户 One of the resident's flats: owed, overdue, credit; null for a flat not theirs.")
    async def account(self, info: Info, unit_id: strawberry.ID) -> ResidentAccount | None:
        row = await fee_reads.account(info.context.db, self.resident_id, from_global_id(unit_id, "Unit", "unitId"), beijing_today())
        return ResidentAccount.from_row(row) if row else None

    @strawberry.field(description="我的账单 Newest month first, of their flats (or `unitId`), for months since they moved in; "
                                  "another flat's unitId lists nothing.")
    async def bills(self, info: Info, unit_id: strawberry.ID | None = None, state: BillStateType | None = None,
                    first: int | None = 50, after: str | None = None) -> Connection[ResidentBill]:
        limit = page_size(first, 50)
        unit = from_global_id(unit_id, "Unit", "unitId") if unit_id else None
        rows = await fee_reads.bill_page(info.context.db, self.resident_id, unit, state.value if state else None, after_id(after),
                                         limit + 1)
        return connection(rows, limit, ResidentBill.from_row)

    @strawberry.field(description="我的缴费 Payments for their flats since they moved in, newest first.")
    async def payments(self, info: Info, first: int | None = 20, after: str | None = None) -> Connection[ResidentPayment]:
        limit = page_size(first)
        return connection(await fee_reads.payment_page(info.context.db, self.resident_id, after_id(after), limit + 1), limit,
                          ResidentPayment.from_row)
    @strawberry.field(description="催缴 Reminders of the resident's flats meant for the app, newest first; at most 50.")
    async def reminders(self, info: Info, first: int = 20) -> list[ResidentReminder]:
        if not 1 <= first <= reminder_reads.RESIDENT_MAX:
            raise invalid(f"数量 first 须在 1 到 {reminder_reads.RESIDENT_MAX} 之间。first must be between 1 and "
                          f"{reminder_reads.RESIDENT_MAX}.", "first")
        return [ResidentReminder.from_row(r) for r in await reminder_reads.resident_reminders(info.context.db, first)]
    @strawberry.field(description="满意度调查 Open surveys that sampled one of the resident's flats, closing soonest first; "
                                  "`pending` true: only those the flat has not answered yet.")
    async def surveys(self, info: Info, pending: bool = True) -> list[ResidentSurvey]:
        return await resident_surveys(info, pending)


def resident_self(info: Info) -> ResidentSelf:
    return ResidentSelf(resident_id=info.context.require().id)
