"""Reminders (催缴, docs/resident-services.md §6.6) against the real database, as the application
role, with the sweep's clock given: the fourth automatic reminder of a Beijing month is never
recorded, from any schedule; nothing in the quiet hours, and what was due at 08:30; a rerun of the
same minute records nothing new; `every_days`; a held flat gets none until its hold ends or is
released; batches of `fee.reminders` to the schedule's bridge only; a person's reminder counts
toward nothing. Two companies: one company's sweep never touches the other's, and every use case
given the other company's ids is NOT_FOUND with nothing written."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import text

from domain.errors import DomainError, ErrorCode
from domain.fees import reminder_service as svc
from domain.fees import reminders
from domain.fees.reminder_commands import (
    CreateReminderSchedule, HoldFeeReminders, RecordFeeReminder, ReleaseFeeHold, ReminderWay, ScheduleInput, SetFeeSettings,
    UpdateReminderSchedule,
)
from tests.integration.fees_setup import add_flats, add_item, uow_of
from workers import fee_reminder_sweep
from workers.handlers import handle_event
from workers.relay import to_message


def at(day: int, hh: int = 10, mm: int = 0, month: int = 3) -> datetime:
    """A Beijing wall-clock time in 2026, as the UTC instant the sweep is given."""
    return datetime(2026, month, day, hh, mm, tzinfo=UTC) - timedelta(hours=8)


async def owing(platform, owner_engine, org, n: int = 2, project: str = "P1", due_on: date = date(2026, 1, 15),
                amount: int = 20000, code: str = "WYF") -> list[uuid.UUID]:
    """`n` flats each owing one open bill of `amount`, due on `due_on`."""
    flats = await add_flats(owner_engine, org, project, [100.0] * n)
    item = await add_item(platform, org, project, code=code)
    async with owner_engine.begin() as conn:
        for f in flats:
            await conn.execute(text(
                "INSERT INTO bills (org_id, project_id, unit_id, charge_item_id, period, period_end, due_on, amount_fen, source) "
                "VALUES (:o, :p, :u, :i, '2026-01-01', '2026-01-31', :d, :a, 'run')"),
                {"o": org.org_id, "p": org.projects[project], "u": f, "i": item, "d": due_on, "a": amount})
    return flats


async def schedule(platform, org, project: str = "P1", **kw) -> uuid.UUID:
    values = {"name": "逾期一月", "min_overdue_days": 30, "every_days": 1} | kw
    return await svc.create_reminder_schedule(CreateReminderSchedule(org.projects[project], ScheduleInput(**values)),
                                              uow_of(platform, org))


async def sent(owner_engine, org, unit: uuid.UUID | None = None) -> list[tuple]:
    async with owner_engine.connect() as conn:
        return [tuple(r) for r in await conn.execute(text(
            "SELECT unit_id, schedule_id, sent_on, way FROM fee_reminders WHERE org_id = :o AND (CAST(:u AS uuid) IS NULL "
            "OR unit_id = :u) ORDER BY created_at, unit_id"), {"o": org.org_id, "u": unit})]


async def sweep(platform, org, now: datetime) -> int:
    """The sweep's work in this one company only (another company of a shared database is left alone)."""
    return await fee_reminder_sweep.SWEEP.each(platform, [org.org_id],
                                               lambda conn, org_id: reminders.send_due(conn, org_id, now))


async def test_the_fourth_reminder_of_a_month_is_never_recorded(platform, owner_engine, org):
    [flat] = await owing(platform, owner_engine, org, 1)
    await schedule(platform, org, name="A")
    await schedule(platform, org, name="B")
    assert await sweep(platform, org, at(20)) == 2  # both schedules, one each
    assert await sweep(platform, org, at(21)) == 1  # the third: the cap holds B
    for day in (22, 23, 31):
        assert await sweep(platform, org, at(day)) == 0
    assert len(await sent(owner_engine, org, flat)) == 3
    # A person's reminder is a record, counting toward nothing, and does not stop the next month's.
    await svc.record_fee_reminder(RecordFeeReminder(flat, ReminderWay.PHONE, "已电话联系"), uow_of(platform, org), now=at(31))
    assert await sweep(platform, org, at(1, month=4)) == 2
    assert [s[3] for s in await sent(owner_engine, org, flat)] == ["auto"] * 3 + ["phone"] + ["auto"] * 2

    # A lower cap for the project holds from then on.
    await svc.set_fee_settings(SetFeeSettings(org.projects["P1"], time(21), time(8, 30), 2), uow_of(platform, org))
    assert await sweep(platform, org, at(2, month=4)) == 0


async def test_quiet_hours_hold_what_is_due_until_they_end(platform, owner_engine, org):
    flats = await owing(platform, owner_engine, org, 2)
    await schedule(platform, org)
    assert await sweep(platform, org, at(20, 22, 0)) == 0  # 21:00–08:30 by default
    assert await sweep(platform, org, at(21, 3, 0)) == 0  # across midnight
    assert await sweep(platform, org, at(21, 8, 29)) == 0
    assert await sent(owner_engine, org) == []
    assert await sweep(platform, org, at(21, 8, 30)) == 2
    assert {s[0] for s in await sent(owner_engine, org)} == set(flats)
    assert {s[2] for s in await sent(owner_engine, org)} == {date(2026, 3, 21)}  # the Beijing day, not UTC's 20th

    # A window within one day: 12:00–14:00.
    await svc.set_fee_settings(SetFeeSettings(org.projects["P1"], time(12), time(14), 3), uow_of(platform, org))
    assert await sweep(platform, org, at(22, 13, 0)) == 0
    assert await sweep(platform, org, at(22, 23, 0)) == 2


async def test_a_rerun_records_nothing_new_and_every_days_spaces_them(platform, owner_engine, org):
    await owing(platform, owner_engine, org, 3)
    await owing(platform, owner_engine, org, 1, due_on=date(2026, 3, 1), code="TCF")  # only 19 days overdue on the 20th
    await schedule(platform, org, every_days=7)
    assert await sweep(platform, org, at(20)) == 3
    assert await sweep(platform, org, at(20)) == 0  # the same minute again
    assert await sweep(platform, org, at(20, 10, 1)) == 0
    assert await sweep(platform, org, at(26)) == 0  # within seven days
    assert await sweep(platform, org, at(27)) == 3
    assert await sweep(platform, org, at(31)) == 1  # the later debt, now 30 days overdue
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM outbox WHERE org_id = :o AND topic = 'fee.reminders'"),
                                   {"o": org.org_id})).scalar_one() == 0  # no bridge chosen: nothing to batch


async def test_a_held_flat_gets_none_until_the_hold_ends(platform, owner_engine, org):
    held, other = await owing(platform, owner_engine, org, 2)
    await schedule(platform, org, every_days=1)
    await svc.hold_fee_reminders(HoldFeeReminders(held, date(2026, 3, 21), "协商中"), uow_of(platform, org), now=at(19))
    assert await sweep(platform, org, at(20)) == 1
    assert await sweep(platform, org, at(21)) == 1  # held through its last day
    assert {s[0] for s in await sent(owner_engine, org)} == {other}
    assert await sweep(platform, org, at(22)) == 2 and len(await sent(owner_engine, org, held)) == 1  # then reminded

    # Held again, then released: reminded the next day.
    await svc.hold_fee_reminders(HoldFeeReminders(held, date(2026, 4, 30), "诉讼中"), uow_of(platform, org), now=at(22))
    assert await sweep(platform, org, at(23)) == 0  # `other` has had its three
    assert await svc.release_fee_hold(ReleaseFeeHold(held), uow_of(platform, org)) is not None
    assert await svc.release_fee_hold(ReleaseFeeHold(held), uow_of(platform, org)) is None
    assert await sweep(platform, org, at(24)) == 1


async def test_batches_go_to_the_schedules_bridge_only(platform, owner_engine, org, monkeypatch):
    monkeypatch.setattr(reminders, "BATCH", 2)
    flats = await owing(platform, owner_engine, org, 3)
    async with owner_engine.begin() as conn:
        rid = uuid.uuid4()
        await conn.execute(text("INSERT INTO residents (org_id, project_id, id, name) VALUES (:o, :p, :r, '王五')"),
                           {"o": org.org_id, "p": org.projects["P1"], "r": rid})
        await conn.execute(text("INSERT INTO occupancies (org_id, project_id, unit_id, resident_id, role, primary_contact) "
                                "VALUES (:o, :p, :u, :r, 'owner', true)"),
                           {"o": org.org_id, "p": org.projects["P1"], "u": min(flats), "r": rid})
        chosen, unchosen = [(await conn.execute(text(
            "INSERT INTO delivery_channels (org_id, kind, name, target, topics, created_by) VALUES (:o, 'webhook', :n, "
            "'https://bridge.example.com/x', ARRAY['fee.reminders'], 'user:x') RETURNING id"),
            {"o": org.org_id, "n": n})).scalar_one() for n in ("短信桥", "未选")]
    await schedule(platform, org, channel_ids=(chosen,), to_app=False)
    assert await sweep(platform, org, at(20)) == 3
    async with owner_engine.connect() as conn:
        events = (await conn.execute(text("SELECT * FROM outbox WHERE org_id = :o AND topic = 'fee.reminders' "
                                          "ORDER BY created_at, id"), {"o": org.org_id})).all()
    payloads = sorted((e.payload for e in events), key=lambda p: p["batch"])
    assert [(p["batch"], p["batches"], len(p["units"])) for p in payloads] == [(1, 2, 2), (2, 2, 1)]
    first = payloads[0]["units"][0]
    assert (first["unit_id"], first["resident_ids"], first["overdue_fen"], first["oldest_due_on"]) == (
        str(min(flats)), [str(rid)], 20000, "2026-01-15")
    for e in events:
        await handle_event(platform, to_message(e).args[0])
    async with owner_engine.connect() as conn:
        planned = (await conn.execute(text("SELECT channel_id, title FROM deliveries WHERE org_id = :o AND topic = 'fee.reminders'"),
                                      {"o": org.org_id})).all()
    assert {p.channel_id for p in planned} == {chosen} and len(planned) == 2
    assert all(p.title.startswith("【催缴】逾期一月") for p in planned)


async def test_one_companys_sweep_never_touches_anothers(platform, owner_engine, org, other_org, caplog):
    mine = await owing(platform, owner_engine, org, 2)
    theirs = await owing(platform, owner_engine, other_org, 2)
    await schedule(platform, org)
    await schedule(platform, other_org)
    async with platform.transaction(None) as conn:  # the finder, outside any wall: company ids only, no clock
        found = {r[0] for r in await conn.execute(reminders.COMPANIES)}
    assert {org.org_id, other_org.org_id} <= found
    # Run company A's work inside A's wall, even when asked with B's rows in the database.
    assert await sweep(platform, org, at(20)) == 2
    assert {s[0] for s in await sent(owner_engine, org)} == set(mine)
    assert await sent(owner_engine, other_org) == []

    # One company failing leaves the other swept.
    async def work(conn, org_id):
        if org_id == org.org_id:
            raise RuntimeError("boom")
        return await reminders.send_due(conn, org_id, at(20))

    with caplog.at_level(logging.ERROR, logger=fee_reminder_sweep.log.name):
        assert await fee_reminder_sweep.SWEEP.each(platform, [org.org_id, other_org.org_id], work) == 2
    assert {s[0] for s in await sent(owner_engine, other_org)} == set(theirs)


async def test_another_companys_ids_are_not_found(platform, owner_engine, org, other_org):
    [flat] = await owing(platform, owner_engine, org, 1)
    mine = await schedule(platform, org)
    item = await add_item(platform, org, code="TCF")
    async with owner_engine.begin() as conn:
        channel = (await conn.execute(text(
            "INSERT INTO delivery_channels (org_id, kind, name, target, topics, created_by) VALUES (:o, 'webhook', 'x', "
            "'https://bridge.example.com/x', ARRAY['fee.reminders'], 'user:x') RETURNING id"), {"o": org.org_id})).scalar_one()
    await owing(platform, owner_engine, other_org, 1)
    theirs = uow_of  # the other company's administrator, for every call below

    async def refused(call, field: str) -> None:
        with pytest.raises(DomainError) as e:
            await call
        assert (e.value.code, e.value.field) == (ErrorCode.NOT_FOUND, field)

    p1 = org.projects["P1"]
    await refused(svc.set_fee_settings(SetFeeSettings(p1, time(22), time(7), 2), theirs(platform, other_org)), "projectId")
    await refused(svc.create_reminder_schedule(CreateReminderSchedule(p1, ScheduleInput("x", 30, every_days=1)),
                                               theirs(platform, other_org)), "projectId")
    own_p1 = other_org.projects["P1"]
    await refused(svc.create_reminder_schedule(CreateReminderSchedule(own_p1, ScheduleInput(
        "x", 30, every_days=1, charge_item_ids=(item,))), theirs(platform, other_org)), "chargeItemIds")
    await refused(svc.create_reminder_schedule(CreateReminderSchedule(own_p1, ScheduleInput(
        "x", 30, every_days=1, channel_ids=(channel,))), theirs(platform, other_org)), "channelIds")
    await refused(svc.update_reminder_schedule(UpdateReminderSchedule(mine, ScheduleInput(active=False)),
                                               theirs(platform, other_org)), "scheduleId")
    await refused(svc.record_fee_reminder(RecordFeeReminder(flat, ReminderWay.VISIT), theirs(platform, other_org)), "unitId")
    await refused(svc.hold_fee_reminders(HoldFeeReminders(flat, date.today() + timedelta(days=9), "协商中"),
                                         theirs(platform, other_org)), "unitId")
    await refused(svc.release_fee_hold(ReleaseFeeHold(flat), theirs(platform, other_org)), "unitId")
    # Another project of the same company, for a project manager of P2 only.
    await refused(svc.record_fee_reminder(RecordFeeReminder(flat, ReminderWay.VISIT), uow_of(platform, org, "project_manager", "P2")),
                  "unitId")
    async with owner_engine.connect() as conn:
        counts = (await conn.execute(text(
            "SELECT (SELECT count(*) FROM fee_settings WHERE org_id = :o), (SELECT count(*) FROM reminder_schedules WHERE "
            "org_id = :o AND active), (SELECT count(*) FROM fee_reminders WHERE org_id = :o), "
            "(SELECT count(*) FROM fee_holds WHERE org_id = :o)"), {"o": org.org_id})).one()
        assert tuple(counts) == (0, 1, 0, 0)
        assert (await conn.execute(text("SELECT count(*) FROM reminder_schedules WHERE org_id = :o"),
                                   {"o": other_org.org_id})).scalar_one() == 0
