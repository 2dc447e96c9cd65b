from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from typing import Any


def group_by(rows: Iterable[Any], attr: str, keys: Sequence[Hashable]) -> list[list[Any]]:
    """Rows of a one-to-many loader, grouped in the order of the keys asked for."""
    grouped: dict[Hashable, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, attr)].append(row)
    return [grouped.get(k, []) for k in keys]
