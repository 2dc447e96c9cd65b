"""Generating bills (docs/resident-services.md §6.2): one use case, one transaction — the project's
billing lock (a second run at once → CONFLICT BILLING_RUNNING), one set-based insert, the run row,
its audit row and event. All or nothing: a failure leaves no bill and no run. A second run of the
same months creates nothing; flats added or fixed since get their bills."""

from __future__ import annotations

from uuid import UUID

from domain.errors import DomainError, ErrorCode, ErrorReason, not_found
from domain.fees.billing_repository import BillingRepository
from domain.fees.commands import GenerateBills
from domain.fees.model import BillRun
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission


async def generate_bills(cmd: GenerateBills, uow: UnitOfWork) -> UUID:
    async with uow:
        uow.require(Permission.FEE_MANAGE, cmd.project_id)
        request = {"projectId": str(cmd.project_id), "from": cmd.from_month.isoformat(), "to": cmd.to_month.isoformat(),
                   "items": sorted(str(i) for i in cmd.charge_item_ids), "dryRun": cmd.dry_run}
        if (done := await uow.claim(cmd.idempotency_key, "generateBills", request)) is not None:
            return UUID(done["id"])
        run = BillRun.start(org_id=uow.org_id, project_id=cmd.project_id, from_month=cmd.from_month, to_month=cmd.to_month,
                            charge_item_ids=sorted(set(cmd.charge_item_ids)), dry_run=cmd.dry_run, by=uow.actor)
        repo = BillingRepository(uow)
        if await repo.items_of_project(cmd.project_id, run.charge_item_ids) != set(run.charge_item_ids):
            raise not_found("A charge item", "chargeItemIds", zh="收费项目")
        if not await repo.lock_project(cmd.project_id):
            raise DomainError(ErrorCode.CONFLICT, "该项目正在出账，请稍后再试。Bills are being generated for this project; "
                              "try again shortly.", "projectId", reason=ErrorReason.BILLING_RUNNING)
        done_ = await repo.generate(run)
        run.finished(created=done_.created, total_fen=done_.total_fen, skipped=done_.skipped, by=uow.actor)
        await repo.add_run(run)
        await uow.commit({"id": str(run.id)})
    return run.id
