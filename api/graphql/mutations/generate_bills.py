from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from tenants.roles import Permission
from api.graphql.mutations._fee_payload import BillRunPayload, bill_run_payload
from domain.fees import billing
from domain.fees.commands import GenerateBills
from datetime import date


@strawberry.input
class GenerateBillsInput:
    project_id: strawberry.ID
    from_month: date = strawberry.field(description="The first month's first day.")
    to_month: date = strawberry.field(description="The last month's first day (at most 24 months).")
    charge_item_ids: list[strawberry.ID]
    dry_run: bool = strawberry.field(default=False, description="试算 Count and total only; nothing is billed.")


@strawberry.mutation(permission_classes=[Requires(Permission.FEE_MANAGE)],
                     description="出账 Bill every flat (or space) of the items for the months, all or nothing. A month "
                                 "already billed is not billed again; flats without an area or rate are counted as skipped.")
@user_errors(BillRunPayload)
async def generate_bills(info: Info, input: GenerateBillsInput, idempotency_key: IdempotencyKey = None) -> BillRunPayload:
    cmd = GenerateBills(project_id=from_global_id(input.project_id, "Project", "projectId"), from_month=input.from_month,
                        to_month=input.to_month,
                        charge_item_ids=tuple(from_global_id(i, "ChargeItem", "chargeItemIds") for i in input.charge_item_ids),
                        dry_run=input.dry_run, idempotency_key=idempotency_key)
    return await bill_run_payload(info, await billing.generate_bills(cmd, unit_of_work(info)))
