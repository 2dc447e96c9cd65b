"""费用收缴 The fee core as staff see it (docs/resident-services.md §6, §9.2): charge items and their
rates, bill runs, bills, payments and a flat's account. Shaping rows only; the rows come from
domain/fees/reads.py through the request's dataloaders. Every amount is `Fen` with a `yuan`
string beside it where people read it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.actor import Actor, actor_of
from api.graphql.types.archive import Unit, after_id, connection, load_unit
from api.graphql.types.fee_scalars import Fen, Rate1e4
from api.graphql.types.fee_skipped import SkippedUnit, SkipReasonType, skipped_units
from api.graphql.types.node import Connection, Node, page_size, to_global_id
from domain.errors import DomainError, ErrorCode
from domain.fees import reads
from domain.fees.commands import RESOLUTION_LABELS, OverpaidResolution
from domain.fees.kinds import (
    BASIS_LABELS, KIND_LABELS, METHOD_LABELS, STATE_LABELS, BillState, ChargeBasis, ChargeKind, PayMethod, PayProblem, PaySource,
)
from domain.fees.money import rate_yuan, yuan
from domain.reads import Row
from tenants.roles import Permission

ChargeKindType = strawberry.enum(ChargeKind, name="ChargeKind", description="收费类别 物业费 property, 停车费 parking, "
                                                                             "水电燃气 utility, 一次性 one_off, 其他 other")
ChargeBasisType = strawberry.enum(ChargeBasis, name="ChargeBasis", description="计费方式 按面积 area, 按户 fixed, 按车位 space, "
                                                                                "一次性 one_off")
BillStateType = strawberry.enum(BillState, name="BillState", description="账单状态 未缴 open, 已缴 paid, 已减免 waived, "
                                                                          "已作废 cancelled")
PayMethodType = strawberry.enum(PayMethod, name="PayMethod", description="收款方式 现金 cash, 微信 wechat, 支付宝 alipay, "
                                                                          "银行转账 bank, 刷卡 pos, 其他 other")
OverpaidResolutionType = strawberry.enum(OverpaidResolution, name="OverpaidResolution",
                                        description="结清方式 退款 refund (the credit given back), 转预存 credit (kept for "
                                                    "the next bills)")
PaySourceType = strawberry.enum(PaySource, name="PaySource", description="收款来源 前台 staff, 缴费对接 integration, "
                                                                          "期初 opening")
PayProblemType = strawberry.enum(PayProblem, name="PayProblem", description="OVERPAID 线上多收：退款或转预存")
_BEIJING = timedelta(hours=8)


def beijing_today() -> date:
    return (datetime.now(UTC) + _BEIJING).date()


def fee_reader(info: Info, project_id: UUID) -> None:
    if not info.context.require().can(Permission.FEE_READ, project_id):
        raise DomainError(ErrorCode.FORBIDDEN, f"您无权查看收费。This needs the permission {Permission.FEE_READ.value} "
                                               "on the project.")


def may_read_fees(info: Info, project_id: UUID) -> bool:
    return info.context.require().can(Permission.FEE_READ, project_id)


@strawberry.type(description="单价 A rate from a month on.")
class ChargeRate:
    effective_from: date
    rate: Rate1e4  # type: ignore[valid-type]

    @strawberry.field(description="元, four decimals: 1.8750")
    def rate_yuan(self) -> str:
        return rate_yuan(self.rate)


@strawberry.type(description="收费项目 What is charged, to which flats, and how its amount is found.")
class ChargeItem(Node):
    charge_item_id: strawberry.Private[UUID]
    project_id: strawberry.Private[UUID]
    code: str
    name: str
    kind: ChargeKindType
    basis: ChargeBasisType
    unit_uses: list[str]
    space_tenures: list[str]
    vacant_percent: int = strawberry.field(description="空置房按此比例收取 A vacant flat is charged this share.")
    due_day: int = strawberry.field(description="每月缴费日 Due on this day of the billed month.")
    starts_on: date
    ends_on: date | None
    active: bool
    rates: list[ChargeRate] = strawberry.field(description="Newest first.")

    @strawberry.field
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @strawberry.field
    def basis_label(self) -> str:
        return BASIS_LABELS[self.basis]

    @classmethod
    def from_row(cls, r: Row) -> ChargeItem:
        return cls(id=to_global_id("ChargeItem", r.id), charge_item_id=r.id, project_id=r.project_id, code=r.code, name=r.name,
                   kind=ChargeKind(r.kind), basis=ChargeBasis(r.basis), unit_uses=list(r.unit_uses),
                   space_tenures=list(r.space_tenures), vacant_percent=r.vacant_percent, due_day=r.due_day,
                   starts_on=r.starts_on, ends_on=r.ends_on, active=r.active,
                   rates=[ChargeRate(effective_from=date.fromisoformat(x["effective_from"]), rate=x["rate_1e4"])
                          for x in r.rates])


@strawberry.type(description="跳过 Flats or spaces a run could not bill, by reason: archive gaps to fix.")
class SkipCount:
    reason: str = strawberry.field(description="NO_AREA 无面积, NO_RATE 无单价, NO_UNIT_FOR_SPACE 车位未关联房屋")
    count: int


@strawberry.type(description="出账 One generation of bills over some months and items.")
class BillRun(Node):
    project_id: strawberry.Private[UUID]
    charge_item_ids: strawberry.Private[list[UUID]]
    from_month: date
    to_month: date
    dry_run: bool
    state: str
    created: int = strawberry.field(description="Bills created (a dry run: would create).")
    skipped: list[SkipCount]
    total: Fen  # type: ignore[valid-type]
    created_by: str
    started_at: datetime
    finished_at: datetime | None

    @strawberry.field
    def total_yuan(self) -> str:
        return yuan(self.total)

    @strawberry.field(description="跳过的房屋 The flats and spaces it could not bill, by reason then flat, as the archive "
                                  "is now (a gap fixed since is not listed).")
    async def skipped_units(self, info: Info, reason: SkipReasonType | None = None, first: int = 100) -> list[SkippedUnit]:
        return await skipped_units(info, self.project_id, (self.from_month, self.to_month), self.charge_item_ids, reason, first)
    @strawberry.field(description="出账人 Who generated it, by name.")
    async def created_by_actor(self, info: Info) -> Actor:
        return await actor_of(info, self.created_by)

    @classmethod
    def from_row(cls, r: Row) -> BillRun:
        return cls(id=to_global_id("BillRun", r.id), project_id=r.project_id, charge_item_ids=list(r.charge_item_ids),
                   from_month=r.from_month, to_month=r.to_month,
                   dry_run=r.dry_run, state=r.state, created=r.created,
                   skipped=[SkipCount(reason=k, count=v) for k, v in sorted(r.skipped.items())], total=r.total_fen,
                   created_by=r.created_by, started_at=r.started_at, finished_at=r.finished_at)


@strawberry.type(description="账单 One flat's charge for one month, or a one-off.")
class Bill(Node):
    bill_id: strawberry.Private[UUID]
    project_id: strawberry.Private[UUID]
    unit_id: strawberry.Private[UUID]
    charge_item_id: strawberry.Private[UUID]
    period: date = strawberry.field(description="账期 The billed month's first day.")
    period_end: date
    due_on: date
    amount: Fen  # type: ignore[valid-type]
    waived: Fen  # type: ignore[valid-type]
    paid: Fen  # type: ignore[valid-type]
    outstanding: Fen  # type: ignore[valid-type]
    state: BillStateType
    source: str
    note: str
    closed_at: datetime | None

    @strawberry.field(description="The outstanding amount in 元: 123.45")
    def yuan(self) -> str:
        return yuan(self.outstanding)

    @strawberry.field
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @strawberry.field(description="逾期 Outstanding and due before today (Beijing).")
    def overdue(self) -> bool:
        return self.state is BillState.OPEN and self.outstanding > 0 and self.due_on < beijing_today()

    @strawberry.field
    async def unit(self, info: Info) -> Unit | None:
        return await load_unit(info, self.unit_id)

    @strawberry.field
    async def charge_item(self, info: Info) -> ChargeItem | None:
        row = await info.context.loaders.charge_item_by_id.load(self.charge_item_id)
        return ChargeItem.from_row(row) if row else None

    @classmethod
    def from_row(cls, r: Row) -> Bill:
        return cls(id=to_global_id("Bill", r.id), bill_id=r.id, project_id=r.project_id, unit_id=r.unit_id,
                   charge_item_id=r.charge_item_id, period=r.period, period_end=r.period_end, due_on=r.due_on,
                   amount=r.amount_fen, waived=r.waived_fen, paid=r.paid_fen, outstanding=r.outstanding_fen,
                   state=BillState(r.state), source=r.source, note=r.note, closed_at=r.closed_at)


@strawberry.type(description="A payment's share of one bill (negative: undone by a reversal).")
class Allocation:
    bill_id_: strawberry.Private[UUID]
    amount: Fen  # type: ignore[valid-type]

    @strawberry.field
    async def bill(self, info: Info) -> Bill | None:
        row = await info.context.loaders.bill_by_id.load(self.bill_id_)
        return Bill.from_row(row) if row else None


@strawberry.type(description="结清 How and when a payment marked OVERPAID was settled.")
class OverpaidClearance:
    resolution: OverpaidResolutionType
    cleared_at: datetime
    cleared_by: str
    note: str
    refund_id_: strawberry.Private[UUID | None]

    @strawberry.field
    def resolution_label(self) -> str:
        return RESOLUTION_LABELS[self.resolution]

    @strawberry.field(description="The refund recorded by the settlement, when it refunded credit.")
    def refund_id(self) -> strawberry.ID | None:
        return to_global_id("Payment", self.refund_id_) if self.refund_id_ else None

    @strawberry.field(description="经办人 Who settled it, by name.")
    async def cleared_by_actor(self, info: Info) -> Actor:
        return await actor_of(info, self.cleared_by)


@strawberry.type(description="收款 Money a flat paid; what no bill took is credit (预存).")
class Payment(Node):
    payment_id: strawberry.Private[UUID]
    project_id: strawberry.Private[UUID]
    unit_id: strawberry.Private[UUID]
    kind: str
    amount: Fen  # type: ignore[valid-type]
    unallocated: Fen = strawberry.field(description="预存 Credit left from this payment.")  # type: ignore[valid-type]
    method: PayMethodType
    source: str
    receipt_no: str = strawberry.field(description="收据号 SJ-<project>-<YYYYMMDD>-<NNNN>")
    paid_at: datetime
    invoice_no: str
    note: str
    recorded_by: str
    reversed_at: datetime | None
    reverse_reason: str | None
    problem: str | None = strawberry.field(
        default=None, description="OVERPAID: an integrator's payment above what its bills owed (退款或转预存).")
    external_id: str | None = strawberry.field(
        default=None, description="The integrator's transaction id (a refund's: its refund id).")
    refund_of_id: strawberry.Private[UUID | None] = None
    clearance: OverpaidClearance | None = strawberry.field(
        default=None, description="结清 Set once a cashier settled an OVERPAID mark (then `problem` is null).")

    @strawberry.field(description="退款 The payment this refund gives money back from.")
    def refund_of(self) -> strawberry.ID | None:
        return to_global_id("Payment", self.refund_of_id) if self.refund_of_id else None

    @strawberry.field
    def yuan(self) -> str:
        return yuan(self.amount)

    @strawberry.field
    def method_label(self) -> str:
        return METHOD_LABELS[self.method]

    @strawberry.field(description="经办人 Who recorded it, by name.")
    async def recorded_by_actor(self, info: Info) -> Actor:
        return await actor_of(info, self.recorded_by)

    @strawberry.field(description="收据 The printable receipt (GET, same credentials).")
    def print_path(self) -> str:
        return f"/print/receipts/{self.id}"

    @strawberry.field
    async def unit(self, info: Info) -> Unit | None:
        return await load_unit(info, self.unit_id)

    @strawberry.field(description="Net share of each bill (a reversed payment's are zero and left out).")
    async def allocations(self, info: Info) -> list[Allocation]:
        rows = await info.context.loaders.allocations_by_payment.load(self.payment_id)
        return [Allocation(bill_id_=r.bill_id, amount=r.amount_fen) for r in rows if r.amount_fen != 0]

    @classmethod
    def from_row(cls, r: Row) -> Payment:
        return cls(id=to_global_id("Payment", r.id), payment_id=r.id, project_id=r.project_id, unit_id=r.unit_id, kind=r.kind,
                   amount=r.amount_fen, unallocated=r.unallocated_fen, method=PayMethod(r.method), source=r.source,
                   receipt_no=r.receipt_no, paid_at=r.paid_at, invoice_no=r.invoice_no, note=r.note,
                   recorded_by=r.recorded_by, reversed_at=r.reversed_at, reverse_reason=r.reverse_reason, problem=r.problem,
                   external_id=r.external_id, refund_of_id=r.refund_of, clearance=OverpaidClearance(
                       resolution=OverpaidResolution(r.problem_resolution), cleared_at=r.problem_cleared_at,
                       cleared_by=r.problem_cleared_by, note=r.problem_note or "", refund_id_=r.problem_refund_id)
                   if r.problem_resolution else None)


@strawberry.input
class BillFilter:
    unit_id: strawberry.ID | None = None
    building_id: strawberry.ID | None = None
    period: date | None = None
    charge_item_id: strawberry.ID | None = None
    state: BillStateType | None = None


@strawberry.input
class PaymentFilter:
    unit_id: strawberry.ID | None = None
    method: PayMethodType | None = None
    since: datetime | None = strawberry.field(default=None, description="Paid at or after.")
    until: datetime | None = strawberry.field(default=None, description="Paid before.")
    source: PaySourceType | None = None
    problem: PayProblemType | None = strawberry.field(default=None, description="Only payments with this problem.")


@strawberry.type(description="住户账户 A flat's bills and payments: what it owes, what is overdue, its credit.")
class UnitAccount:
    unit_id: strawberry.Private[UUID]
    project_id: strawberry.Private[UUID]
    outstanding: Fen  # type: ignore[valid-type]
    overdue: Fen  # type: ignore[valid-type]
    credit: Fen = strawberry.field(description="预存 Credit not yet taken by a bill.")  # type: ignore[valid-type]
    open_bills: int
    oldest_due_on: date | None

    @strawberry.field
    def outstanding_yuan(self) -> str:
        return yuan(self.outstanding)

    @strawberry.field
    async def unit(self, info: Info) -> Unit | None:
        return await load_unit(info, self.unit_id)

    @strawberry.field(description="The flat's bills, newest month first.")
    async def bills(self, info: Info, state: BillStateType | None = None, first: int | None = 20,
                    after: str | None = None) -> Connection[Bill]:
        limit = page_size(first)
        rows = await reads.bill_page(info.context.db, self.project_id,
                                     reads.BillFilter(unit_id=self.unit_id, state=state.value if state else None),
                                     after_id(after), limit + 1)
        return connection(rows, limit, Bill.from_row)

    @strawberry.field(description="The flat's payments, newest first.")
    async def payments(self, info: Info, first: int | None = 20) -> list[Payment]:
        rows = await reads.payments_of_unit(info.context.db, self.project_id, self.unit_id, page_size(first))
        return [Payment.from_row(r) for r in rows]


# node(id) fetchers: a row the caller sees through the wall, and fee:read on its project.

async def bill_node(info: Info, bill_id: UUID) -> Bill | None:
    row = await info.context.loaders.bill_by_id.load(bill_id)
    return Bill.from_row(row) if row and may_read_fees(info, row.project_id) else None


async def payment_node(info: Info, payment_id: UUID) -> Payment | None:
    row = await info.context.loaders.payment_by_id.load(payment_id)
    return Payment.from_row(row) if row and may_read_fees(info, row.project_id) else None


async def charge_item_node(info: Info, item_id: UUID) -> ChargeItem | None:
    row = await info.context.loaders.charge_item_by_id.load(item_id)
    return ChargeItem.from_row(row) if row and may_read_fees(info, row.project_id) else None


async def bill_run_node(info: Info, run_id: UUID) -> BillRun | None:
    row = await reads.bill_run(info.context.db, run_id)
    return BillRun.from_row(row) if row and may_read_fees(info, row.project_id) else None
