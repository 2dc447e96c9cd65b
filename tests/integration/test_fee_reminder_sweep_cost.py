"""The reminder sweep is cheap when nothing changed (docs/resident-services.md, "As built —
resident-service gaps"): a project swept in full today whose bills, holds, schedules and settings
were not written since reads no bill and runs no statement of its own; any such write, or the next
Beijing day, makes it sweep in full again — and it stays correct: what becomes due is sent at the
next minute. Cost is counted in the sweep's own transaction: its statements (SQLAlchemy's cursor
events) and the rows of `bills` it read (`pg_stat_xact_user_tables`), not wall time."""

from __future__ import annotations

from datetime import date

from sqlalchemy import event, text

from domain.fees import reminder_service as svc
from domain.fees import reminders
from domain.fees.reminder_commands import HoldFeeReminders, ReleaseFeeHold
from tenants.context import TenantScope
from tests.integration.fees_setup import uow_of
from tests.integration.test_fee_reminders import at, owing, schedule, sent

_BILLS_READ = text("SELECT coalesce(sum(seq_tup_read + coalesce(idx_tup_fetch, 0)), 0) FROM pg_stat_xact_user_tables "
                   "WHERE relname = 'bills'")


async def swept(platform, org, now) -> tuple[int, int, int]:
    """(flats reminded, statements run, rows of bills read) of one company's sweep at `now`."""
    statements: list[str] = []
    async with platform.transaction(TenantScope(org_id=org.org_id, projects=None, actor=reminders.ACTOR)) as conn:
        # The backend's counts not flushed yet may hold earlier transactions' (PostgreSQL 15 flushes
        # them when idle), so the sweep's own reads are the difference within this transaction.
        start = int((await conn.execute(_BILLS_READ)).scalar_one())

        def count(_conn, _cursor, statement, *_args) -> None:
            statements.append(statement)
        event.listen(conn.sync_connection, "before_cursor_execute", count)
        try:
            n = await reminders.send_due(conn, org.org_id, now)
        finally:
            event.remove(conn.sync_connection, "before_cursor_execute", count)
        read = int((await conn.execute(_BILLS_READ)).scalar_one()) - start
    return n, len(statements), read


async def forget(owner_engine, org) -> None:
    """As before the marks: the sweep remembers nothing of its last run."""
    async with owner_engine.begin() as conn:
        await conn.execute(text("DELETE FROM fee_reminder_sweeps WHERE org_id = :o"), {"o": org.org_id})


async def test_an_unchanged_project_costs_no_bill_read_and_a_change_sweeps_again(platform, owner_engine, org):
    flats = await owing(platform, owner_engine, org, 40)
    await schedule(platform, org, name="A")
    await schedule(platform, org, name="B", min_overdue_days=60)

    n, full, read = await swept(platform, org, at(20))
    assert n == 80 and read >= 40  # both schedules, every flat: each schedule summed the project's open bills

    # The next minutes of the same day, nothing written: before the marks, each minute summed the
    # open bills again per schedule; now the project is passed over.
    await forget(owner_engine, org)
    _, before, before_read = await swept(platform, org, at(20, 10, 1))
    n, after, after_read = await swept(platform, org, at(20, 10, 2))
    assert n == 0 and after == 1 and after_read == 0  # the project list, nothing else
    # The project list, a savepoint, the lock, the schedules, a sum per schedule, the marking, the release:
    # the sweep as it was, but for the marking.
    assert before == 8 and before_read >= 2 * 40
    print(f"\nreminder sweep of an unchanged project, per minute: before {before} statements, {before_read} bill rows "
          f"read; after {after} statement, {after_read} bill rows read")

    # A payment lowers what is owed and bumps nothing; a reopened bill (a reversal) does.
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE bills SET paid_fen = amount_fen, state = 'paid' WHERE unit_id = :u"), {"u": flats[0]})
    assert (await swept(platform, org, at(20, 10, 3)))[1:] == (1, 0)
    new = await owing(platform, owner_engine, org, 1, code="GLF")  # a new flat's open bill: a change
    n, _, read = await swept(platform, org, at(20, 10, 4))
    assert n == 2 and read > 0 and len(await sent(owner_engine, org, new[0])) == 2  # by A and B
    assert (await swept(platform, org, at(20, 10, 5)))[1:] == (1, 0)

    # A hold released the next day: the day alone sweeps in full; the release is seen the same minute.
    await svc.hold_fee_reminders(HoldFeeReminders(new[0], date(2026, 3, 25), "协商中"), uow_of(platform, org), now=at(20, 11))
    # The 39 still owing, by A (B finds them at the monthly cap of 3); the held flat waits.
    assert (await swept(platform, org, at(21)))[0] == 39
    assert (await swept(platform, org, at(21, 10, 1)))[1:] == (1, 0)
    await svc.release_fee_hold(ReleaseFeeHold(new[0]), uow_of(platform, org))
    assert (await swept(platform, org, at(21, 10, 3)))[0] == 1  # released: its third of the month, by A
