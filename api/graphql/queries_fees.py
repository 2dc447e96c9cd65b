"""Root query fields of the fee core (docs/resident-services.md §9.2), joined into `Query`. Each
needs fee:read on the project it names; another company's or an unreachable project's ids are
NOT_FOUND."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.permissions import Requires
from api.graphql.reach import required_project_in_reach
from api.graphql.types.archive import after_id, connection
from api.graphql.types.fee_arrears import ArrearsConnection, ArrearsFilter, ArrearsOrder, arrears
from api.graphql.types.fees import (
    Bill, BillFilter, BillRun, ChargeItem, Payment, PaymentFilter, UnitAccount, beijing_today, bill_run_node, fee_reader,
)
from api.graphql.types.node import Connection, from_global_id, page_size
from api.graphql.types.payment_integration import PaymentIntegration
from domain.errors import DomainError, ErrorCode, not_found
from domain.fees import reads
from tenants.roles import Permission


@strawberry.type
class FeeQueries:
    @strawberry.field(permission_classes=[Requires(Permission.FEE_READ)],
                      description="收费项目 A project's charge items with their rates, active ones first.")
    async def charge_items(self, info: Info, project_id: strawberry.ID) -> list[ChargeItem]:
        project = await required_project_in_reach(info, project_id)
        fee_reader(info, project)
        return [ChargeItem.from_row(r) for r in await reads.charge_items(info.context.db, project)]

    @strawberry.field(permission_classes=[Requires(Permission.FEE_READ)],
                      description="出账记录 A project's bill runs, newest first.")
    async def bill_runs(self, info: Info, project_id: strawberry.ID, first: int | None = 20) -> list[BillRun]:
        project = await required_project_in_reach(info, project_id)
        fee_reader(info, project)
        return [BillRun.from_row(r) for r in await reads.bill_runs(info.context.db, project, page_size(first))]

    @strawberry.field(permission_classes=[Requires(Permission.FEE_READ)],
                      description="出账 One bill run, with the flats it skipped; null when not the caller's to read.")
    async def bill_run(self, info: Info, id: strawberry.ID) -> BillRun | None:
        return await bill_run_node(info, from_global_id(id, "BillRun"))

    @strawberry.field(permission_classes=[Requires(Permission.FEE_READ)],
                      description="账单 A project's bills, newest month first.")
    async def bills(self, info: Info, project_id: strawberry.ID, filter: BillFilter | None = None, first: int | None = 20,
                    after: str | None = None) -> Connection[Bill]:
        project = await required_project_in_reach(info, project_id)
        fee_reader(info, project)
        f = filter or BillFilter()
        terms = reads.BillFilter(
            unit_id=from_global_id(f.unit_id, "Unit", "unitId") if f.unit_id else None,
            building_id=from_global_id(f.building_id, "Building", "buildingId") if f.building_id else None,
            period=f.period, charge_item_id=from_global_id(f.charge_item_id, "ChargeItem", "chargeItemId")
            if f.charge_item_id else None, state=f.state.value if f.state else None)
        limit = page_size(first)
        rows = await reads.bill_page(info.context.db, project, terms, after_id(after), limit + 1)
        return connection(rows, limit, Bill.from_row)

    @strawberry.field(permission_classes=[Requires(Permission.FEE_READ)],
                      description="收款记录 A project's payments, newest first.")
    async def payments(self, info: Info, project_id: strawberry.ID, filter: PaymentFilter | None = None,
                       first: int | None = 20, after: str | None = None) -> Connection[Payment]:
        project = await required_project_in_reach(info, project_id)
        fee_reader(info, project)
        f = filter or PaymentFilter()
        terms = reads.PaymentFilter(unit_id=from_global_id(f.unit_id, "Unit", "unitId") if f.unit_id else None,
                                    method=f.method.value if f.method else None, since=f.since, until=f.until,
                                    source=f.source.value if f.source else None, problem=f.problem.value if f.problem else None)
        limit = page_size(first)
        rows = await reads.payment_page(info.context.db, project, terms, after_id(after), limit + 1)
        return connection(rows, limit, Payment.from_row)

    @strawberry.field(permission_classes=[Requires(Permission.FEE_READ)],
                      description="住户账户 A flat's account: outstanding, overdue, credit, its bills and payments.")
    async def unit_account(self, info: Info, unit_id: strawberry.ID) -> UnitAccount:
        unit = from_global_id(unit_id, "Unit", "unitId")
        row = await reads.unit_account(info.context.db, unit, beijing_today())
        if row is None:
            raise not_found("The unit", "unitId", zh="房屋")
        fee_reader(info, row.project_id)
        return UnitAccount(unit_id=row.unit_id, project_id=row.project_id, outstanding=row.outstanding_fen,
                           overdue=row.overdue_fen, credit=row.credit_fen, open_bills=row.open_bills,
                           oldest_due_on=row.oldest_due_on)

    @strawberry.field(permission_classes=[Requires(Permission.FEE_READ)],
                      description="欠费 A project's flats with overdue bills, their ageing and the totals.")
    async def arrears(self, info: Info, project_id: strawberry.ID, filter: ArrearsFilter | None = None,
                      order_by: ArrearsOrder = ArrearsOrder.AMOUNT, first: int | None = 50,
                      after: str | None = None) -> ArrearsConnection:
        return await arrears(info, project_id, filter, order_by, first, after)

    @strawberry.field(permission_classes=[Requires(Permission.FEE_MANAGE)],
                      description="缴费对接 A project's payment integrations, oldest first (their secrets are never shown).")
    async def payment_integrations(self, info: Info, project_id: strawberry.ID) -> list[PaymentIntegration]:
        project = await required_project_in_reach(info, project_id)
        if not info.context.require().can(Permission.FEE_MANAGE, project):
            raise DomainError(ErrorCode.FORBIDDEN, f"您无权管理收费设置。This needs the permission {Permission.FEE_MANAGE.value} "
                                                   "on the project.")
        return [PaymentIntegration.from_row(r) for r in await reads.payment_integrations(info.context.db, project)]
