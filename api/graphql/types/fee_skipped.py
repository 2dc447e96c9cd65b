"""跳过的房屋 What a bill run could not bill, listed so staff can fix the archive (docs/resident-services.md
§6.2): per flat or parking space, item and reason, with the months it missed."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.archive import Unit, load_unit
from api.graphql.types.node import to_global_id
from domain.errors import invalid
from domain.fees import skipped_reads
from domain.fees.kinds import SkipReason
from domain.reads import Row

SkipReasonType = strawberry.enum(SkipReason, name="SkipReason",
                                 description="跳过原因 无面积 NO_AREA, 无单价 NO_RATE, 车位未关联房屋 NO_UNIT_FOR_SPACE")
SKIP_LABELS = {SkipReason.NO_AREA: "无面积", SkipReason.NO_RATE: "无单价", SkipReason.NO_UNIT_FOR_SPACE: "车位未关联房屋"}


@strawberry.type(description="跳过 A flat or parking space a run could not bill for one item, and why.")
class SkippedUnit:
    unit_id: strawberry.Private[UUID | None]
    reason: SkipReasonType
    charge_item_id: strawberry.ID
    charge_item_code: str
    charge_item_name: str
    unit_label: str | None = strawberry.field(description="房屋 e.g. 3号楼 2单元 1502; null for a space without a flat.")
    space_id: strawberry.ID | None
    space_label: str | None = strawberry.field(description="车位 e.g. 地下B1 A-012, for a per-space item.")
    months: int = strawberry.field(description="Months of the run it missed.")
    first_month: date
    last_month: date

    @strawberry.field
    def reason_label(self) -> str:
        return SKIP_LABELS[self.reason]

    @strawberry.field(description="The flat, to fix in the archive (null for a space without a flat).")
    async def unit(self, info: Info) -> Unit | None:
        return await load_unit(info, self.unit_id)

    @classmethod
    def from_row(cls, r: Row) -> SkippedUnit:
        return cls(unit_id=r.unit_id, reason=SkipReason(r.reason), charge_item_id=to_global_id("ChargeItem", r.item_id),
                   charge_item_code=r.item_code, charge_item_name=r.item_name, unit_label=r.unit_label,
                   space_id=to_global_id("ParkingSpace", r.space_id) if r.space_id else None, space_label=r.space_label,
                   months=r.months, first_month=r.first_month, last_month=r.last_month)


async def skipped_units(info: Info, project_id: UUID, months: tuple[date, date], item_ids: list[UUID],
                        reason: SkipReason | None, first: int) -> list[SkippedUnit]:
    if not 1 <= first <= skipped_reads.MAX:
        raise invalid(f"数量 first 须在 1 到 {skipped_reads.MAX} 之间。first must be between 1 and {skipped_reads.MAX}.", "first")
    rows = await skipped_reads.skipped(info.context.db, info.context.require().org_id, project_id, months, item_ids,
                                       reason.value if reason else None, first)
    return [SkippedUnit.from_row(r) for r in rows]
