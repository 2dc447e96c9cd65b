"""What the reminder mutations take and return (their use cases: domain/fees/reminder_service.py):
the schedule's input, and the record as it now is, read after the commit, or the refusal in
`errors`."""

from __future__ import annotations

from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.errors import UserError
from api.graphql.types.fee_reminders import FeeHold, FeeReminder, FeeSettings, ReminderSchedule
from api.graphql.types.fee_scalars import Fen
from api.graphql.types.node import from_global_id
from domain.fees import reminder_reads as reads
from domain.fees.reminder_commands import ScheduleInput


@strawberry.input(description="催缴计划 A schedule's fields; in an update, a field left out keeps its value.")
class ReminderScheduleInput:
    name: str | None = None
    min_overdue_days: int | None = strawberry.field(default=None, description="Days past the oldest bill's due date, ≥ 1.")
    min_amount: Fen | None = strawberry.field(default=None, description="Overdue at least this much (fen).")  # type: ignore[valid-type]
    every_days: int | None = strawberry.field(default=None, description="At most once in this many days, ≥ 1.")
    charge_item_ids: list[strawberry.ID] | None = strawberry.field(default=None, description="[]: every item.")
    channel_ids: list[strawberry.ID] | None = strawberry.field(default=None, description="Webhook bridges subscribed to "
                                                                                          "fee.reminders.")
    to_app: bool | None = None
    active: bool | None = None

    def values(self) -> ScheduleInput:
        return ScheduleInput(
            name=self.name, min_overdue_days=self.min_overdue_days, min_amount_fen=self.min_amount,
            every_days=self.every_days, to_app=self.to_app, active=self.active,
            charge_item_ids=None if self.charge_item_ids is None else tuple(
                from_global_id(i, "ChargeItem", "chargeItemIds") for i in self.charge_item_ids),
            channel_ids=None if self.channel_ids is None else tuple(
                from_global_id(c, "DeliveryChannel", "channelIds") for c in self.channel_ids))


@strawberry.type
class FeeSettingsPayload:
    fee_settings: FeeSettings | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ReminderSchedulePayload:
    reminder_schedule: ReminderSchedule | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class FeeReminderPayload:
    fee_reminder: FeeReminder | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class FeeHoldPayload:
    fee_hold: FeeHold | None = strawberry.field(default=None, description="The hold (after a release: the one released, "
                                                                          "null when there was none).")
    errors: list[UserError] = strawberry.field(default_factory=list)


async def settings_payload(info: Info, project_id: UUID) -> FeeSettingsPayload:
    row = await reads.settings(info.context.db, project_id)
    return FeeSettingsPayload(fee_settings=FeeSettings.from_row(row) if row else None)


async def schedule_payload(info: Info, schedule_id: UUID) -> ReminderSchedulePayload:
    row = await reads.schedule(info.context.db, schedule_id)
    return ReminderSchedulePayload(reminder_schedule=ReminderSchedule.from_row(row) if row else None)


async def reminder_payload(info: Info, reminder_id: UUID) -> FeeReminderPayload:
    row = await reads.reminder(info.context.db, reminder_id)
    return FeeReminderPayload(fee_reminder=FeeReminder.from_row(row) if row else None)


async def hold_payload(info: Info, hold_id: UUID | None) -> FeeHoldPayload:
    row = await reads.hold(info.context.db, hold_id) if hold_id else None
    return FeeHoldPayload(fee_hold=FeeHold.from_row(row) if row else None)
