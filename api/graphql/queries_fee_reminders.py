"""Root query fields of reminders (催缴, docs/resident-services.md §6.6), joined into `Query`. Each
needs fee:read on the project it names or the flat's project; another company's or an unreachable
project's ids are NOT_FOUND."""

from __future__ import annotations

from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.permissions import Requires
from api.graphql.reach import required_project_in_reach
from api.graphql.types.fee_reminders import FeeHold, FeeReminder, FeeSettings, ReminderChannel, ReminderSchedule
from api.graphql.types.fees import fee_reader
from api.graphql.types.node import from_global_id, page_size
from domain.errors import DomainError, ErrorCode, not_found
from domain.fees import reminder_reads as reads
from tenants.roles import Permission


async def _unit(info: Info, unit_id: strawberry.ID) -> UUID:
    unit = from_global_id(unit_id, "Unit", "unitId")
    row = await reads.unit(info.context.db, unit)
    if row is None or not info.context.require().scope.allows(row.project_id):
        raise not_found("The unit", "unitId", zh="房屋")
    fee_reader(info, row.project_id)
    return unit


@strawberry.type
class FeeReminderQueries:
    @strawberry.field(permission_classes=[Requires(Permission.FEE_READ)],
                      description="收费设置 A project's quiet hours and monthly cap of automatic reminders.")
    async def fee_settings(self, info: Info, project_id: strawberry.ID) -> FeeSettings:
        project = await required_project_in_reach(info, project_id)
        fee_reader(info, project)
        row = await reads.settings(info.context.db, project)
        if row is None:
            raise not_found("The project", "projectId", zh="项目")
        return FeeSettings.from_row(row)

    @strawberry.field(permission_classes=[Requires(Permission.FEE_READ)],
                      description="催缴计划 A project's reminder schedules, active ones first.")
    async def reminder_schedules(self, info: Info, project_id: strawberry.ID) -> list[ReminderSchedule]:
        project = await required_project_in_reach(info, project_id)
        fee_reader(info, project)
        return [ReminderSchedule.from_row(r) for r in await reads.schedules(info.context.db, project)]

    @strawberry.field(permission_classes=[Requires(Permission.FEE_MANAGE)],
                      description="催缴渠道 The messaging bridges a reminder schedule of the project may name: webhooks of "
                                  "the company or the project subscribed to fee.reminders, without their address or secret. "
                                  "Needs fee:manage on the project, not channel:manage.")
    async def reminder_channels(self, info: Info, project_id: strawberry.ID) -> list[ReminderChannel]:
        project = await required_project_in_reach(info, project_id)
        if not info.context.require().can(Permission.FEE_MANAGE, project):
            raise DomainError(ErrorCode.FORBIDDEN, "您无权设置催缴计划。This needs the permission "
                                                   f"{Permission.FEE_MANAGE.value} on the project.", "projectId")
        return [ReminderChannel.from_row(r) for r in await reads.reminder_channels(info.context.db, project)]

    @strawberry.field(permission_classes=[Requires(Permission.FEE_READ)],
                      description="催缴记录 A flat's reminders, newest first: automatic ones and those made by people.")
    async def fee_reminders(self, info: Info, unit_id: strawberry.ID, first: int | None = 20) -> list[FeeReminder]:
        unit = await _unit(info, unit_id)
        return [FeeReminder.from_row(r) for r in await reads.reminders_of_unit(info.context.db, unit, page_size(first))]

    @strawberry.field(permission_classes=[Requires(Permission.FEE_READ)],
                      description="暂停催缴 A flat's open hold on automatic reminders, or null.")
    async def fee_hold(self, info: Info, unit_id: strawberry.ID) -> FeeHold | None:
        unit = await _unit(info, unit_id)
        row = await reads.open_hold(info.context.db, unit)
        return FeeHold.from_row(row) if row else None
