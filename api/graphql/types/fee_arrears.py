"""欠费 The arrears list (docs/resident-services.md §6.5): one row per flat with overdue bills, its
ageing buckets, and the totals of the whole filtered list. Shaping only; the statement is
domain/fees/arrears_reads.py."""

from __future__ import annotations

from datetime import date
from enum import Enum
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.reach import required_project_in_reach
from api.graphql.types.archive import Unit, after_id, load_unit
from api.graphql.types.fee_reminders import FeeHold, LastReminder
from api.graphql.types.fee_scalars import Fen
from api.graphql.types.fees import beijing_today, fee_reader
from api.graphql.types.node import PageInfo, encode_cursor, from_global_id, page_size
from domain.errors import invalid
from domain.fees import arrears_reads
from domain.fees.money import yuan
from domain.reads import Row


@strawberry.enum(description="排序 AMOUNT: most overdue first; AGE: oldest due first; UNIT: by building and number.")
class ArrearsOrder(Enum):
    AMOUNT = "AMOUNT"
    AGE = "AGE"
    UNIT = "UNIT"


@strawberry.type(description="账龄 Overdue amount by days past due: ≤ 30 一个月内, 31–90 一至三个月, 91–180 三至六个月, "
                             "181–365 六个月至一年, > 365 一年以上.")
class Ageing:
    d30: Fen  # type: ignore[valid-type]
    d90: Fen  # type: ignore[valid-type]
    d180: Fen  # type: ignore[valid-type]
    d365: Fen  # type: ignore[valid-type]
    over365: Fen  # type: ignore[valid-type]

    @classmethod
    def from_row(cls, r: Row) -> Ageing:
        return cls(d30=r.d30, d90=r.d90, d180=r.d180, d365=r.d365, over365=r.over365)


@strawberry.type(description="一户欠费 One flat's arrears.")
class ArrearsRow:
    unit_id: strawberry.Private[UUID]
    label: str = strawberry.field(description="e.g. 3号楼 2单元 1502")
    contact_name: str | None = strawberry.field(description="The flat's primary contact (current stay).")
    contact_phone_masked: str | None
    overdue: Fen  # type: ignore[valid-type]
    outstanding: Fen = strawberry.field(description="Overdue and not yet due.")  # type: ignore[valid-type]
    oldest_due_on: date
    ageing: Ageing

    @strawberry.field
    def overdue_yuan(self) -> str:
        return yuan(self.overdue)

    @strawberry.field
    async def unit(self, info: Info) -> Unit | None:
        return await load_unit(info, self.unit_id)

    @strawberry.field(description="催缴 The flat's latest reminder, or null.")
    async def last_reminder(self, info: Info) -> LastReminder | None:
        row = await info.context.loaders.last_reminder_by_unit.load(self.unit_id)
        return LastReminder.from_row(row) if row else None

    @strawberry.field(description="暂停催缴 The flat's open hold, or null.")
    async def hold(self, info: Info) -> FeeHold | None:
        row = await info.context.loaders.hold_by_unit.load(self.unit_id)
        return FeeHold.from_row(row) if row else None


@strawberry.type
class ArrearsEdge:
    cursor: str
    node: ArrearsRow


@strawberry.type(description="合计 Over the whole filtered list.")
class ArrearsTotals:
    flats: int
    overdue: Fen  # type: ignore[valid-type]
    outstanding: Fen  # type: ignore[valid-type]
    ageing: Ageing

    @strawberry.field
    def overdue_yuan(self) -> str:
        return yuan(self.overdue)


@strawberry.type
class ArrearsConnection:
    totals: ArrearsTotals
    edges: list[ArrearsEdge]
    page_info: PageInfo


@strawberry.input
class ArrearsFilter:
    building_id: strawberry.ID | None = None
    min_overdue_days: int = 1
    min_amount_fen: Fen = 0  # type: ignore[valid-type]
    charge_item_id: strawberry.ID | None = None


async def arrears(info: Info, project_id: strawberry.ID, f: ArrearsFilter | None, order: ArrearsOrder, first: int | None,
                  after: str | None) -> ArrearsConnection:
    project = await required_project_in_reach(info, project_id)
    fee_reader(info, project)
    f = f or ArrearsFilter()
    if f.min_overdue_days < 1:
        raise invalid("逾期天数至少为 1。minOverdueDays must be at least 1.", "minOverdueDays")
    limit = page_size(first)
    terms = arrears_reads.ArrearsFilter(
        building_id=from_global_id(f.building_id, "Building", "buildingId") if f.building_id else None,
        min_overdue_days=f.min_overdue_days, min_amount_fen=max(0, f.min_amount_fen),
        charge_item_id=from_global_id(f.charge_item_id, "ChargeItem", "chargeItemId") if f.charge_item_id else None)
    totals, rows = await arrears_reads.arrears(info.context.db, info.context.require().org_id, project, beijing_today(), terms,
                                               order.value, after_id(after), limit + 1)
    edges = [ArrearsEdge(cursor=encode_cursor(str(r.unit_id)), node=ArrearsRow(
        unit_id=r.unit_id, label=r.label, contact_name=r.contact_name, contact_phone_masked=r.contact_phone_masked,
        overdue=r.overdue_fen, outstanding=r.outstanding_fen, oldest_due_on=r.oldest_due_on, ageing=Ageing.from_row(r)))
        for r in rows[:limit]]
    return ArrearsConnection(
        totals=ArrearsTotals(flats=totals.flats, overdue=totals.overdue_fen, outstanding=totals.outstanding_fen,
                             ageing=Ageing.from_row(totals)),
        edges=edges, page_info=PageInfo(has_next_page=len(rows) > limit, end_cursor=edges[-1].cursor if edges else None))
