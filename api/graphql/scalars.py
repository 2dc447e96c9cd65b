"""Scalars that differ from strawberry's defaults.

`DateTime` input must carry its offset: "2026-11-22T12:40:00" could be Beijing time or UTC, and
a deadline eight hours off is worse than a refused request. Output is always UTC with
microseconds, one canonical form that SQL can print too (see api/graphql/compiled)."""

from __future__ import annotations

from datetime import UTC, datetime

import dateutil.parser
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.types.scalar import ScalarDefinition

from api.graphql.types.fee_scalars import FEE_SCALARS

_EXAMPLE = "2026-11-22T12:40:00+08:00"


def _parse_aware(value: object) -> datetime:
    if not isinstance(value, str):
        raise StrawberryInputCoercionError(f"DateTime must be an ISO 8601 string such as {_EXAMPLE}.")
    try:
        parsed = dateutil.parser.isoparse(value)
    except (ValueError, OverflowError):
        raise StrawberryInputCoercionError(f'"{value[:40]}" is not an ISO 8601 time such as {_EXAMPLE}.') from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise StrawberryInputCoercionError(
            f'"{value[:40]}" has no time zone; add its offset, e.g. {_EXAMPLE} (Beijing time) or a trailing Z (UTC).')
    try:  # 0001-01-01T00:00+14:00 is before the first UTC instant the database can hold
        parsed.astimezone(UTC)
    except OverflowError:
        raise StrawberryInputCoercionError(f'"{value[:40]}" is outside the times that can be stored.') from None
    return parsed


AwareDateTime = ScalarDefinition(
    name="DateTime",
    description=f"A point in time, ISO 8601 with its offset, e.g. {_EXAMPLE}.",
    specified_by_url=None,
    serialize=lambda value: value.astimezone(UTC).isoformat(timespec="microseconds"),
    parse_value=_parse_aware,
    parse_literal=None,
    origin=datetime,
)

SCALARS = {datetime: AwareDateTime, **FEE_SCALARS}
