"""Archive workbooks built in a test (openpyxl), the way an office fills the template in."""

from __future__ import annotations

import io

from openpyxl import Workbook


def workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    """{sheet name: [header row, data rows…]} → the .xlsx bytes."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


BUILDINGS = ["楼栋名称*", "总层数*"]
UNITS = ["楼栋名称*", "单元", "房号*", "楼层*", "建筑面积(㎡)"]


def flats(bad_floor_at: int | None = None, n: int = 4) -> bytes:
    """Two buildings and `n` flats of 1号楼; flat number `bad_floor_at` (1-based) has floor 'abc'."""
    units: list[list[object]] = [UNITS]
    for i in range(1, n + 1):
        units.append(["1号楼", "1", f"{100 + i}", "abc" if i == bad_floor_at else 1, 88.5])
    return workbook({"楼栋": [BUILDINGS, ["1号楼", 18], ["2号楼", 12]], "房屋": units})


async def settle(platform, broker) -> None:
    """Relay the outbox and let the workers finish: the event's consumer, then the import it queued."""
    import asyncio

    from workers.archive_import import ARCHIVE_QUEUE
    from workers.broker import EVENTS_QUEUE
    from workers.relay import relay_all

    for _ in range(2):
        await relay_all(platform, broker)
        await asyncio.to_thread(broker.join, EVENTS_QUEUE, timeout=30_000, fail_fast=True)
        await asyncio.to_thread(broker.join, ARCHIVE_QUEUE, timeout=120_000, fail_fast=True)
