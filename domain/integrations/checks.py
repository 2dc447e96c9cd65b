"""What every signed integration's times must be: with their UTC offset, not before 2000 and not
in the future (a few minutes' clock skew allowed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.errors import invalid

_SKEW = timedelta(minutes=5)
_EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


def check_when(value: datetime, field: str) -> datetime:
    if value.tzinfo is None:
        raise invalid(f"时间须带时区，例如 2026-12-07T10:15:00+08:00：{field}。{field} must carry its UTC offset.", field)
    try:
        # 0001-01-01T00:00+14:00 is a valid ISO time that has no UTC instant: the driver could not send it.
        utc = value.astimezone(UTC)
    except OverflowError:
        utc = _EARLIEST - _SKEW
    if utc < _EARLIEST:
        raise invalid(f"时间不能早于 2000 年：{field}。{field} must not be before 2000.", field)
    if utc > datetime.now(UTC) + _SKEW:
        raise invalid(f"时间不能晚于现在：{field}。{field} must not be in the future.", field)
    return value
